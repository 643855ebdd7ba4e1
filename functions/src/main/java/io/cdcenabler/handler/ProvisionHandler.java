package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.postgres.ConnectionSource;
import io.cdcenabler.postgres.CredentialsMode;
import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.ProvisioningResult;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.postgres.TableName;
import io.cdcenabler.postgres.TrackingMode;
import io.cdcenabler.secrets.AdminCredentials;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.secrets.CdcConnection;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.secrets.CdcSecretStore.StoreResult;
import io.cdcenabler.secrets.LogLines;
import io.cdcenabler.secrets.StoredCdcSecret;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningFailedException;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.StepOutcomes.ProvisionOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.WorkflowState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Provision Task state: reads the exact admin secret version ReadCredentials checked, connects to the writer
 * endpoint over TLS verify-full with the RDS CA bundle shipped in the jar, runs the provisioning engine, and keeps the
 * CDC user's credentials in the secret {@code cdc-enabler/<instance-or-cluster-id>/<database>/<cdc user>} (reusing
 * its password on a re-run, so nothing churns). Returns the secret's ARN and what changed, never a secret value.
 *
 * <p>In credentials mode MASTER no CDC user and no CDC secret are created: the CDC tool logs in with the admin
 * secret, and {@code cdcSecretArn} is the admin secret's ARN.
 */
public final class ProvisionHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProvisionHandler.class);

    private final AdminSecrets adminSecrets;
    private final CdcSecretStore cdcSecrets;
    private final TargetConnections connections;

    public ProvisionHandler() {
        this(AwsClients.secretsManager(), RdsTls.fromEnvironment());
        SnapStartPriming.register();
    }

    ProvisionHandler(SecretsManagerClient secretsManager, TargetConnections connections) {
        this.adminSecrets = new AdminSecrets(secretsManager);
        this.cdcSecrets = new CdcSecretStore(secretsManager);
        this.connections = connections;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonNode state = Json.read(input);
        Json.write(output, ExecutionLogContext.within(state,
                () -> provision(Json.convert(state, WorkflowState.class))));
    }

    ProvisionOutcome provision(WorkflowState state) {
        TargetDescription target = state.requireTarget();
        ProvisioningRequest request = target.request();
        String database = databaseOf(target);
        requireEndpoint(target);
        ProvisioningSpec spec = specFor(request);
        AdminCredentials admin = adminSecrets.read(state.credentials());

        if (!spec.createsUser()) {
            List<String> changes = runEngine(target, admin, spec);
            LOG.info(LogLines.json("event", "provisioned", "identifier", request.identifier(), "database", database,
                    "credentialsMode", request.credentialsMode(), "cdcSecretArn", admin.secretArn(),
                    "changed", changes.size()));
            return new ProvisionOutcome(admin.secretArn(), changes.size(), changes);
        }

        String secretName = CdcSecretStore.secretName(request.identifier(), database, spec.cdcUser());
        Optional<StoredCdcSecret> existing = cdcSecrets.find(secretName).filter(StoredCdcSecret::hasPassword);
        Secret password = existing.map(found -> Secret.of(found.password())).orElseGet(Secret::generate);
        LOG.info(LogLines.json("event", "cdcPasswordChosen", "identifier", request.identifier(),
                "secretName", secretName, "source", existing.isPresent() ? "existing secret" : "generated",
                "secretArn", existing.map(StoredCdcSecret::arn).orElse(null)));

        List<String> changes = runEngine(target, admin, spec.withCdcPassword(Optional.of(password)));
        char[] revealed = password.reveal();
        StoreResult stored;
        try {
            stored = cdcSecrets.store(secretName, new CdcConnection(target.endpointHost(), target.endpointPort(),
                    spec.cdcUser(), database, spec.publication()), revealed);
        } finally {
            Arrays.fill(revealed, '\0');
        }
        if (stored.action() != CdcSecretStore.Action.UNCHANGED) {
            changes.add((stored.action() == CdcSecretStore.Action.CREATED ? "created" : "updated") + " secret "
                    + stored.arn());
        }
        LOG.info(LogLines.json("event", "provisioned", "identifier", request.identifier(), "database", database,
                "credentialsMode", request.credentialsMode(), "cdcSecretArn", stored.arn(),
                "cdcSecret", stored.action(), "changed", changes.size()));
        return new ProvisionOutcome(stored.arn(), changes.size(), changes);
    }

    private List<String> runEngine(TargetDescription target, AdminCredentials admin, ProvisioningSpec spec) {
        char[] adminPassword = admin.password();
        try {
            ConnectionSource source = connections.open(target, admin.username(), Secret.of(adminPassword));
            ProvisioningResult result = new Provisioner(source).provision(spec);
            List<String> changes = new ArrayList<>();
            result.changes().forEach(change -> changes.add(change.toString()));
            return changes;
        } catch (CdcEnablerException e) {
            throw ErrorTranslation.translate(e, "provisioning database " + target.database() + " of "
                    + target.request().identifier());
        } finally {
            Arrays.fill(adminPassword, '\0');
        }
    }

    /** The engine's spec for the request; an {@link InvalidInputException} naming the field when it cannot be. */
    static ProvisioningSpec specFor(ProvisioningRequest request) {
        try {
            return ProvisioningSpec.builder()
                    .trackingMode(TrackingMode.valueOf(request.trackingMode()))
                    .schemas(request.schemas())
                    .tables(request.tables().stream().map(TableName::parse).toList())
                    .credentialsMode(CredentialsMode.valueOf(request.credentialsMode()))
                    .cdcUser(request.cdcUser())
                    .publication(request.publication())
                    .publishViaPartitionRoot(request.publishViaPartitionRoot())
                    .build();
        } catch (CdcEnablerException e) {
            throw ErrorTranslation.translate(e, "request of " + request.identifier());
        }
    }

    /** The database to provision: the one DescribeTarget resolved, else the request's. */
    static String databaseOf(TargetDescription target) {
        String database = target.database() != null ? target.database() : target.request().database();
        if (database == null || database.isBlank()) {
            throw new InvalidInputException("target.database and target.request.database are both empty: name the "
                    + "database to provision");
        }
        return database;
    }

    static void requireEndpoint(TargetDescription target) {
        if (target.endpointHost() == null || target.endpointHost().isBlank() || target.endpointPort() < 1
                || target.endpointPort() > 65535) {
            throw new InvalidInputException("target.endpointHost and target.endpointPort must name the writer "
                    + "endpoint, were " + target.endpointHost() + " and " + target.endpointPort());
        }
    }

    /** Opens connections to the target's database as a given admin login: the test seam for the TLS connection. */
    @FunctionalInterface
    interface TargetConnections {
        ConnectionSource open(TargetDescription target, String adminUser, Secret adminPassword);
    }

    /**
     * Connections to the writer endpoint over TLS with {@code sslmode=verify-full}: the server's certificate must
     * chain to the RDS CA bundle and name the endpoint. The bundle ships in the jar as {@value #BUNDLE_RESOURCE};
     * pgjdbc reads {@code sslrootcert} from a file, so it is copied once per container to a temporary file. The
     * environment variable {@value #BUNDLE_OVERRIDE_ENV} may name another PEM file (e.g. a newer bundle).
     */
    static final class RdsTls implements TargetConnections {
        static final String BUNDLE_RESOURCE = "/io/cdcenabler/tls/global-bundle.pem";
        static final String BUNDLE_OVERRIDE_ENV = "CDC_ENABLER_CA_BUNDLE";
        private static volatile Path extractedBundle;

        private final Path overrideBundle;

        RdsTls(Path overrideBundle) {
            this.overrideBundle = overrideBundle;
        }

        static RdsTls fromEnvironment() {
            String override = System.getenv(BUNDLE_OVERRIDE_ENV);
            return new RdsTls(override == null || override.isBlank() ? null : Path.of(override));
        }

        @Override
        public JdbcConnectionSource open(TargetDescription target, String adminUser, Secret adminPassword) {
            return new JdbcConnectionSource(jdbcUrl(target), adminUser, adminPassword, driverProperties());
        }

        static String jdbcUrl(TargetDescription target) {
            return "jdbc:postgresql://" + target.endpointHost() + ":" + target.endpointPort() + "/"
                    + URLEncoder.encode(databaseOf(target), StandardCharsets.UTF_8).replace("+", "%20");
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
                synchronized (RdsTls.class) {
                    if (extractedBundle == null) {
                        extractedBundle = extract();
                    }
                    bundle = extractedBundle;
                }
            }
            return bundle;
        }

        private static Path extract() {
            try (InputStream resource = RdsTls.class.getResourceAsStream(BUNDLE_RESOURCE)) {
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
}
