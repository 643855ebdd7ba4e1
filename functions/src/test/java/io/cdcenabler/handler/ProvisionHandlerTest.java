package io.cdcenabler.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.steps.TargetConnections;
import io.cdcenabler.testing.AdminSecretJson;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.testing.FakeSecretsManager;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import io.cdcenabler.workflow.InvalidSecretException;
import io.cdcenabler.workflow.ProvisioningFailedException;
import io.cdcenabler.workflow.StepOutcomes.ProvisionOutcome;
import io.cdcenabler.workflow.WorkflowState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class ProvisionHandlerTest {
    @Parameter
    String version;

    Fixture fixture;

    @BeforeEach
    void freshDatabaseAndSecrets() {
        fixture = new Fixture(version);
        fixture.db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.events (payload text)");
    }

    @Test
    void provision_firstRun_createsTheCdcRoleAndItsSecret() throws Exception {
        ObjectNode state = fixture.readCredentials(fixture.state("state-after-check-status.json"));

        JsonNode outcome = fixture.run(fixture.provisionHandler(), state);

        String secretName = fixture.cdcSecretName();
        assertThat(outcome.get("cdcSecretArn").asText()).startsWith("arn:aws:secretsmanager:").contains(secretName);
        assertThat(outcome.get("changed").asInt()).isPositive();
        assertThat(outcome.get("changes").toString()).contains("created role " + fixture.cdcUser,
                "created publication", "created secret");
        JsonNode secret = Json.MAPPER.readTree(fixture.secretsManager.currentSecretString(secretName));
        assertThat(secret.get("username").asText()).isEqualTo(fixture.cdcUser);
        assertThat(secret.get("host").asText()).isEqualTo("orders-db.c9akciq32.us-east-1.rds.amazonaws.com");
        assertThat(secret.get("dbname").asText()).isEqualTo(fixture.db.name());
        try (Connection asCdcUser = fixture.db.connect(fixture.cdcUser, secret.get("password").asText())) {
            assertThat(asCdcUser.isValid(5)).isTrue();
        }
        assertThat(fixture.db.replicaIdentity("public.events")).isEqualTo("f");
        assertThat(outcome.toString()).doesNotContain(secret.get("password").asText(), fixture.adminPassword);
    }

    @Test
    void provision_ofThousandsOfTables_keepsTheOutcomeFarBelowTheStepFunctionsPayloadLimit() {
        fixture.db.sql("DO $$ BEGIN FOR i IN 1..3000 LOOP EXECUTE format('CREATE TABLE public.t%s (v text)', i); "
                + "END LOOP; END $$");
        ObjectNode state = fixture.readCredentials(fixture.state("state-after-check-status.json"));

        JsonNode outcome = fixture.run(fixture.provisionHandler(), state);

        assertThat(outcome.get("changed").asInt()).isGreaterThan(3000);
        assertThat(outcome.toString().length()).as("bytes of the outcome").isLessThan(8 * 1024);
        assertThat(outcome.get("changes").toString()).contains("set REPLICA IDENTITY FULL on ")
                .contains("more (3002 in all)");
        assertThat(fixture.db.value("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relreplident = 'f' "
                + "AND relnamespace = 'public'::regnamespace")).isEqualTo("3002");
    }

    @Test
    void provision_rerun_reportsNoChangesAndKeepsTheStoredPassword() {
        ObjectNode state = fixture.readCredentials(fixture.state("state-after-check-status.json"));
        fixture.run(fixture.provisionHandler(), state);
        String secretName = fixture.cdcSecretName();
        String versionBefore = fixture.secretsManager.currentVersionId(secretName);
        String secretBefore = fixture.secretsManager.currentSecretString(secretName);

        JsonNode second = fixture.run(fixture.provisionHandler(), state);

        assertThat(second.get("changed").asInt()).isZero();
        assertThat(second.get("changes")).isEmpty();
        assertThat(fixture.secretsManager.currentVersionId(secretName)).isEqualTo(versionBefore);
        assertThat(fixture.secretsManager.currentSecretString(secretName)).isEqualTo(secretBefore);
        assertThat(fixture.secretsManager.versionCount(secretName)).isEqualTo(1);
    }

    @Test
    void provision_cdcPasswordChangedInTheDatabase_setsTheStoredOneBack() throws Exception {
        ObjectNode state = fixture.readCredentials(fixture.state("state-after-check-status.json"));
        fixture.run(fixture.provisionHandler(), state);
        fixture.db.sql("ALTER ROLE " + fixture.cdcUser + " PASSWORD 'someone-else-set-this'");

        JsonNode second = fixture.run(fixture.provisionHandler(), state);

        assertThat(second.get("changes").toString()).contains("set password of " + fixture.cdcUser);
        String stored = Json.MAPPER.readTree(fixture.secretsManager.currentSecretString(fixture.cdcSecretName()))
                .get("password").asText();
        try (Connection asCdcUser = fixture.db.connect(fixture.cdcUser, stored)) {
            assertThat(asCdcUser.isValid(5)).isTrue();
        }
    }

    @Test
    void provision_adminSecretWithoutPassword_isInvalidSecretAndChangesNothing() {
        String arn = fixture.secretsManager.seed("ops/no-password", AdminSecretJson.withoutPassword("postgres"));
        ObjectNode state = fixture.state("state-after-read-credentials.json");
        ((ObjectNode) state.get("credentials")).put("secretArn", arn)
                .put("versionId", fixture.secretsManager.currentVersionId(arn));
        Map<String, String> secretsBefore = fixture.secretsManager.snapshot();

        assertThatThrownBy(() -> fixture.run(fixture.provisionHandler(), state))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("password");

        assertThat(fixture.secretsManager.snapshot()).isEqualTo(secretsBefore);
        fixture.assertDatabaseUntouched();
    }

    @Test
    void provision_adminSecretMissing_isInvalidSecretAndChangesNothing() {
        ObjectNode state = fixture.state("state-after-read-credentials.json");
        ((ObjectNode) state.get("credentials"))
                .put("secretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:deleted-AbCdEf");
        Map<String, String> secretsBefore = fixture.secretsManager.snapshot();

        assertThatThrownBy(() -> fixture.run(fixture.provisionHandler(), state))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("does not exist");

        assertThat(fixture.secretsManager.snapshot()).isEqualTo(secretsBefore);
        fixture.assertDatabaseUntouched();
    }

    @Test
    void provision_masterCredentials_createsNoCdcSecretAndReportsTheAdminSecret() {
        ObjectNode state = fixture.state("state-master-credentials.json");
        ((ObjectNode) state.get("target").get("request")).put("adminSecretArn", fixture.masterArn);
        state = fixture.readCredentials(state);

        JsonNode outcome = fixture.run(fixture.provisionHandler(), state);

        assertThat(outcome.get("cdcSecretArn").asText()).isEqualTo(fixture.masterArn);
        assertThat(fixture.secretsManager.secretNames()).noneMatch(name -> name.startsWith("cdc-enabler/"));
        assertThat(fixture.db.value("SELECT count(*) FROM pg_publication WHERE pubname = 'bemi'")).isEqualTo("1");
    }

    @Test
    void rdsTls_default_isVerifyFullWithTheShippedRdsBundle() throws Exception {
        WorkflowState state = Json.convert(fixture.state("state-after-read-credentials.json"), WorkflowState.class);

        JdbcConnectionSource source = new RdsTlsConnections(null).open(state.target(), "postgres", Secret.of("unused"));

        assertThat(source.url()).isEqualTo("jdbc:postgresql://orders-db.c9akciq32.us-east-1.rds.amazonaws.com:5432/"
                + fixture.db.name());
        Properties properties = source.driverProperties();
        assertThat(properties.getProperty("ssl")).isEqualTo("true");
        assertThat(properties.getProperty("sslmode")).isEqualTo("verify-full");
        assertThat(properties).doesNotContainKey("password");
        assertThat(properties).containsEntry("connectTimeout", "10").containsEntry("loginTimeout", "15")
                .containsEntry("socketTimeout", "600").containsEntry("tcpKeepAlive", "true");
        Path bundle = Path.of(properties.getProperty("sslrootcert"));
        assertThat(bundle).isRegularFile();
        List<X509Certificate> certificates;
        try (InputStream pem = Files.newInputStream(bundle)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(pem).stream()
                    .map(X509Certificate.class::cast).toList();
        }
        assertThat(certificates).isNotEmpty()
                .allSatisfy(certificate -> assertThat(certificate.getSubjectX500Principal().getName())
                        .contains("Amazon RDS"))
                .anySatisfy(certificate -> assertThat(certificate.getSubjectX500Principal().getName())
                        .contains("Root CA"));
    }

    @Test
    void rdsTls_overrideBundleMissing_failsNamingTheVariable() {
        WorkflowState state = Json.convert(fixture.state("state-after-read-credentials.json"), WorkflowState.class);

        assertThatThrownBy(() -> new RdsTlsConnections(Path.of("/nonexistent/bundle.pem"))
                .open(state.target(), "postgres", Secret.of("unused")))
                .isInstanceOf(ProvisioningFailedException.class)
                .hasMessageContaining(RdsTlsConnections.BUNDLE_OVERRIDE_ENV);
    }

    /**
     * One test's world: a fresh database on the embedded PostgreSQL, a fake Secrets Manager holding an RDS-style
     * master user secret, state files from src/test/resources/events pointed at both, and the handlers wired to
     * them with plain (non-TLS) connections to the embedded server.
     */
    static final class Fixture {
        final FakeSecretsManager secretsManager;
        final TestDatabase db;
        final String cdcUser;
        final String adminPassword;
        final String masterArn;

        Fixture(String version) {
            secretsManager = new FakeSecretsManager();
            db = PostgresServers.freshDatabase(version);
            cdcUser = "cdc_" + db.name();
            adminPassword = "adm-" + UUID.randomUUID();
            // The superuser is trusted by pg_hba.conf, so any admin password logs in; it only has to stay secret.
            masterArn = secretsManager.seed("rds!db-" + UUID.randomUUID(),
                    AdminSecretJson.of("postgres", adminPassword));
        }

        /** Another database of the same server and target, with the same CDC user, secrets and master secret. */
        Fixture(Fixture sibling, String version) {
            secretsManager = sibling.secretsManager;
            db = PostgresServers.freshDatabase(version);
            cdcUser = sibling.cdcUser;
            adminPassword = sibling.adminPassword;
            masterArn = sibling.masterArn;
        }

        TargetConnections connections() {
            return (target, user, password) -> new JdbcConnectionSource(db.url(), user, password, new Properties());
        }

        ReadCredentialsHandler readCredentialsHandler() {
            return new ReadCredentialsHandler(secretsManager);
        }

        ProvisionHandler provisionHandler() {
            return new ProvisionHandler(secretsManager, connections());
        }

        VerifyHandler verifyHandler() {
            return new VerifyHandler(secretsManager, connections());
        }

        String cdcSecretName() {
            return CdcSecretStore.secretName("orders-db", db.name(), cdcUser);
        }

        /** A state file, pointed at this test's database, CDC user and master secret. */
        ObjectNode state(String file) {
            try {
                ObjectNode state = (ObjectNode) Json.MAPPER.readTree(FakeRdsWorld.event(file));
                ObjectNode target = (ObjectNode) state.get("target");
                target.put("database", db.name());
                ObjectNode request = (ObjectNode) target.get("request");
                request.put("database", db.name());
                if (request.has("cdcUser")) {
                    request.put("cdcUser", cdcUser);
                }
                if (!target.get("masterSecretArn").isNull()) {
                    target.put("masterSecretArn", masterArn);
                    if (state.has("credentials")) {
                        ((ObjectNode) state.get("credentials")).put("secretArn", masterArn)
                                .put("versionId", secretsManager.currentVersionId(masterArn));
                    }
                }
                return state;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Runs ReadCredentials on the state and puts its result under $.credentials, as the ASL's ResultPath. */
        ObjectNode readCredentials(ObjectNode state) {
            ObjectNode next = state.deepCopy();
            next.set("credentials", run(readCredentialsHandler(), state));
            return next;
        }

        /** Feeds the state to the handler as bytes, as Lambda does, and parses what it writes. */
        JsonNode run(RequestStreamHandler handler, JsonNode input) {
            return FakeRdsWorld.invoke(handler, input.toString());
        }

        void assertDatabaseUntouched() {
            assertThat(db.value("SELECT count(*) FROM pg_roles WHERE rolname = '" + cdcUser + "'")).isEqualTo("0");
            assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
            assertThat(db.value("SELECT count(*) FROM pg_event_trigger")).isEqualTo("0");
            assertThat(db.replicaIdentity("public.events")).isEqualTo("d");
        }
    }
}
