package io.cdcenabler.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** Synthesizes the app as cdk.json does, from test context, with a stand-in Lambda jar so no functions build is needed. */
final class TestStacks {
    static final String VPC_ID = "vpc-0a1b2c3d4e5f60718";
    static final List<String> SUBNET_IDS = List.of("subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb2");
    static final String SECURITY_GROUP_ID = "sg-0ccccccccccccccc3";
    static final Path TARGET = Path.of("target");

    private TestStacks() {
    }

    /** The three required keys and the stand-in jar. */
    static Map<String, Object> requiredContext() {
        Map<String, Object> context = new HashMap<>();
        context.put(CdcEnablerConfig.VPC_ID, VPC_ID);
        context.put(CdcEnablerConfig.SUBNET_IDS, SUBNET_IDS);
        context.put(CdcEnablerConfig.SECURITY_GROUP_ID, SECURITY_GROUP_ID);
        context.put(CdcEnablerConfig.LAMBDA_JAR, standInJar().toString());
        return context;
    }

    /** A small file standing in for cdc-enabler-lambda.jar: synth only hashes and copies it. */
    static Path standInJar() {
        Path jar = TARGET.resolve("test-lambda/cdc-enabler-lambda.jar");
        try {
            if (!Files.isRegularFile(jar)) {
                Files.createDirectories(jar.getParent());
                Files.write(jar, new byte[] {'P', 'K', 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new App with {@code context}, its cloud assembly under target/, and the stack on it. */
    static CdcEnablerStack synthesize(String name, Map<String, Object> context) {
        App app = new App(AppProps.builder()
                .context(context)
                .outdir(TARGET.resolve("cdk-test-out").resolve(name).toString())
                .build());
        return CdcEnablerApp.create(app);
    }
}
