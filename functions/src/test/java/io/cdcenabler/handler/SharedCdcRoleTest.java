package io.cdcenabler.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.testing.FakeSecretsManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One CDC role, two databases of one server: a role is cluster-wide, each database has its own CDC secret. The
 * second database's first run must not re-password the role (that would leave the first database's secret stale):
 * it stores the password the role's comment points to, and both secrets log in, whatever order the runs come in.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class SharedCdcRoleTest {
    @Parameter
    String version;

    ProvisionHandlerTest.Fixture first;
    ProvisionHandlerTest.Fixture second;

    @BeforeEach
    void twoDatabasesOfOneServer() {
        first = new ProvisionHandlerTest.Fixture(version);
        second = new ProvisionHandlerTest.Fixture(first, version);
        first.db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)");
        second.db.sql("CREATE TABLE public.invoices (id int PRIMARY KEY, total numeric)");
    }

    @Test
    void secondDatabase_reusesTheRolesPassword_andTheFirstSecretStillLogsIn() {
        provision(first);
        String firstPassword = password(first);
        String comment = first.db.value("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = '"
                + first.cdcUser + "'");
        assertThat(comment).as("the role's comment names the secret of its password")
                .endsWith("password in secret " + first.cdcSecretName());

        JsonNode outcome = provision(second);

        assertThat(outcome.get("changes").toString()).contains("created secret")
                .doesNotContain("set password of");
        assertThat(password(second)).as("the second database's secret holds the role's password")
                .isEqualTo(firstPassword);
        assertThat(first.db.canLogIn(first.cdcUser, firstPassword)).as("the first secret still logs in").isTrue();
        assertThat(second.db.canLogIn(second.cdcUser, password(second))).isTrue();

        provision(first);
        provision(second);
        assertThat(password(first)).isEqualTo(firstPassword);
        assertThat(password(second)).isEqualTo(firstPassword);
        assertThat(first.secretsManager.versionCount(first.cdcSecretName())).as("no secret churned").isEqualTo(1);
        assertThat(first.secretsManager.versionCount(second.cdcSecretName())).isEqualTo(1);
    }

    @Test
    void aCommentNamingAnotherTargetsOrUsersSecret_isNeverRead() {
        provision(first);
        FakeSecretsManager secrets = first.secretsManager;
        String foreign = "cdc-enabler/other-db/" + first.db.name() + "/" + first.cdcUser;
        secrets.seed(foreign, "{\"username\":\"x\",\"password\":\"not-for-you\"}");
        first.db.sql("COMMENT ON ROLE " + first.cdcUser + " IS 'cdc-enabler: CDC login role created and managed by "
                + "cdc-enabler; password in secret " + foreign + "'");

        provision(second);

        assertThat(password(second)).isNotEqualTo("not-for-you");
        assertThat(second.db.canLogIn(second.cdcUser, password(second))).isTrue();
        assertThat(second.db.value("SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = '"
                + second.cdcUser + "'")).as("the bad pointer is replaced by this run's secret")
                .endsWith("password in secret " + second.cdcSecretName());
    }

    private static JsonNode provision(ProvisionHandlerTest.Fixture fixture) {
        ObjectNode state = fixture.readCredentials(fixture.state("state-after-check-status.json"));
        return fixture.run(fixture.provisionHandler(), state);
    }

    private static String password(ProvisionHandlerTest.Fixture fixture) {
        try {
            return io.cdcenabler.handler.Json.MAPPER.readTree(fixture.secretsManager.currentSecretString(
                    CdcSecretStore.secretName("orders-db", fixture.db.name(), fixture.cdcUser)))
                    .get("password").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
