package io.cdcenabler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Opens the Lambda jar this build made (failsafe runs after {@code package}) and checks it carries what Lambda runs
 * and nothing of the tools: no command line, benchmark, embedded PostgreSQL, runbook or pgoutput decoder, and none of
 * their libraries. The jar is shaded without an exclude list, so this holds only because functions does not depend on
 * them.
 */
class LambdaJarIT {
    private static final Path JAR = Path.of(System.getProperty("cdcenabler.lambda.jar",
            "target/cdc-enabler-lambda.jar"));
    private static List<String> entries;

    @BeforeAll
    static void readTheJar() throws IOException {
        assertThat(JAR).as("the Lambda jar, made by mvn package").isRegularFile();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            entries = jar.stream().map(JarEntry::getName).toList();
        }
        System.out.printf("Lambda jar %s: %d bytes (%.2f MB), %d entries%n", JAR, Files.size(JAR),
                Files.size(JAR) / (1024.0 * 1024.0), entries.size());
    }

    @Test
    void holdsEveryHandlerTheEngineAndTheDriver() {
        assertThat(entries).contains(
                "io/cdcenabler/handler/DescribeTargetHandler.class",
                "io/cdcenabler/handler/EnsureParameterGroupHandler.class",
                "io/cdcenabler/handler/RebootHandler.class",
                "io/cdcenabler/handler/CheckStatusHandler.class",
                "io/cdcenabler/handler/ReadCredentialsHandler.class",
                "io/cdcenabler/handler/ProvisionHandler.class",
                "io/cdcenabler/handler/VerifyHandler.class",
                "io/cdcenabler/postgres/Provisioner.class",
                "org/postgresql/Driver.class",
                "software/amazon/awssdk/services/rds/RdsClient.class",
                "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class");
    }

    @Test
    void holdsNoToolClassOrResource() {
        assertThat(entries).filteredOn(name -> name.startsWith("io/cdcenabler/cli/")
                        || name.startsWith("io/cdcenabler/bench/")
                        || name.startsWith("io/cdcenabler/embedded/")
                        || name.startsWith("io/cdcenabler/runbook/")
                        || name.startsWith("io/cdcenabler/postgres/decoding/"))
                .isEmpty();
    }

    @Test
    void holdsNoToolLibrary() {
        assertThat(entries).filteredOn(name -> name.startsWith("picocli/")
                        || name.startsWith("io/zonky/")
                        || name.startsWith("postgres-linux-")
                        || name.startsWith("org/tukaani/")
                        || name.startsWith("org/apache/commons/")
                        || name.startsWith("org/checkerframework/")
                        || name.startsWith("software/amazon/awssdk/services/sfn/"))
                .isEmpty();
    }
}
