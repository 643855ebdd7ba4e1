package io.cdcenabler.handler;

import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.steps.TargetConnections;
import io.cdcenabler.steps.TargetDatabase;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.workflow.ProvisioningFailedException;
import io.cdcenabler.workflow.TargetDescription;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections to the writer endpoint over TLS with {@code sslmode=verify-full}: the server's certificate must
 * chain to the RDS CA bundle and name the endpoint. The bundle ships in the jar as {@value #BUNDLE_RESOURCE};
 * pgjdbc reads {@code sslrootcert} from a file, so it is copied once per container to a temporary file. The
 * environment variable {@value #BUNDLE_OVERRIDE_ENV} may name another PEM file (e.g. a newer bundle).
 */
final class RdsTlsConnections implements TargetConnections {
    private static final Logger LOG = LoggerFactory.getLogger(RdsTlsConnections.class);
    static final String BUNDLE_RESOURCE = "/io/cdcenabler/tls/global-bundle.pem";
    static final String BUNDLE_OVERRIDE_ENV = "CDC_ENABLER_CA_BUNDLE";
    private static volatile Path extractedBundle;

    private final Path overrideBundle;

    RdsTlsConnections(Path overrideBundle) {
        this.overrideBundle = overrideBundle;
    }

    static RdsTlsConnections fromEnvironment() {
        String override = System.getenv(BUNDLE_OVERRIDE_ENV);
        return new RdsTlsConnections(override == null || override.isBlank() ? null : Path.of(override));
    }

    @Override
    public JdbcConnectionSource open(TargetDescription target, String adminUser, Secret adminPassword) {
        return new JdbcConnectionSource(jdbcUrl(target), adminUser, adminPassword, driverProperties());
    }

    static String jdbcUrl(TargetDescription target) {
        return "jdbc:postgresql://" + target.endpointHost() + ":" + target.endpointPort() + "/"
                + URLEncoder.encode(TargetDatabase.databaseOf(target), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The pgjdbc properties every connection uses: TLS required, certificate and host name verified. */
    Properties driverProperties() {
        Properties properties = new Properties();
        properties.setProperty("ssl", "true");
        properties.setProperty("sslmode", "verify-full");
        properties.setProperty("sslrootcert", bundle().toString());
        return properties;
    }

    Path bundle() {
        if (overrideBundle != null) {
            if (!Files.isReadable(overrideBundle)) {
                throw new ProvisioningFailedException(BUNDLE_OVERRIDE_ENV + " names the CA bundle "
                        + overrideBundle + ", which is not a readable file");
            }
            return overrideBundle;
        }
        Path bundle = extractedBundle;
        if (bundle == null) {
            synchronized (RdsTlsConnections.class) {
                if (extractedBundle == null) {
                    extractedBundle = extract();
                }
                bundle = extractedBundle;
            }
        }
        return bundle;
    }

    private static Path extract() {
        try (InputStream resource = RdsTlsConnections.class.getResourceAsStream(BUNDLE_RESOURCE)) {
            if (resource == null) {
                throw new ProvisioningFailedException("the RDS CA bundle " + BUNDLE_RESOURCE + " is not in the "
                        + "jar, so TLS verify-full cannot check the server; rebuild with it, or set "
                        + BUNDLE_OVERRIDE_ENV + " to a copy of "
                        + "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem");
            }
            Path file = Files.createTempFile("rds-global-bundle-", ".pem");
            file.toFile().deleteOnExit();
            Files.copy(resource, file, StandardCopyOption.REPLACE_EXISTING);
            LOG.info(LogLines.json("event", "caBundleExtracted", "path", file.toString()));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the RDS CA bundle to a temporary file", e);
        }
    }
}
