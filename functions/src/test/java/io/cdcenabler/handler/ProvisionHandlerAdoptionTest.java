package io.cdcenabler.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.testing.PostgresServers;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The workflow's request field adoptExistingRole: a CDC user that names a role cdc-enabler did not create is refused
 * before any change unless the request asks to adopt it; adopted, it logs in with the CDC secret's password.
 */
class ProvisionHandlerAdoptionTest {

    static Stream<String> oldestAndNewest() {
        List<String> versions = PostgresServers.versions();
        return Stream.of(versions.get(0), versions.get(versions.size() - 1)).distinct();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("oldestAndNewest")
    void provision_whenTheCdcUserIsAnExistingRoleNotOurs_isRefusedUnlessTheRequestAdoptsIt(String version)
            throws Exception {
        ProvisionHandlerTest.Fixture fixture = new ProvisionHandlerTest.Fixture(version);
        fixture.db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE ROLE " + fixture.cdcUser + " LOGIN PASSWORD 'chosen-by-a-dba'");
        ObjectNode state = fixture.readCredentials(fixture.state("state-after-check-status.json"));

        assertThatThrownBy(() -> fixture.run(fixture.provisionHandler(), state))
                .hasMessageContaining("adoptExistingRole");
        assertThat(fixture.db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");

        ((ObjectNode) state.path("target").path("request")).put("adoptExistingRole", true);
        fixture.run(fixture.provisionHandler(), state);

        String password = Json.MAPPER.readTree(fixture.secretsManager.currentSecretString(fixture.cdcSecretName()))
                .get("password").asText();
        try (Connection asCdcUser = fixture.db.connect(fixture.cdcUser, password)) {
            assertThat(asCdcUser.isValid(5)).isTrue();
        }
        assertThat(fixture.db.value("SELECT count(*) FROM pg_publication")).isEqualTo("1");
    }
}
