package io.cdcenabler.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.handler.ProvisionHandlerTest.Fixture;
import io.cdcenabler.workflow.InvalidSecretException;
import io.cdcenabler.workflow.VerificationFailedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class VerifyHandlerTest {
    @Parameter
    String version;

    Fixture fixture;
    ObjectNode state;

    @BeforeEach
    void freshDatabaseAndSecrets() {
        fixture = new Fixture(version);
        fixture.db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)");
        state = fixture.readCredentials(fixture.state("state-after-check-status.json"));
    }

    @Test
    void verify_afterProvision_isReadyWithTheSlotOpenedAsTheCdcUser() {
        state.set("provision", fixture.run(fixture.provisionHandler(), state));

        JsonNode outcome = fixture.run(fixture.verifyHandler(), state);

        assertThat(outcome.get("ready").asBoolean()).isTrue();
        assertThat(outcome.get("checks").toString()).contains("PASS logical slot as cdc user: " + fixture.cdcUser);
    }

    @Test
    void verify_withoutProvisionResult_findsTheSecretByItsName() {
        fixture.run(fixture.provisionHandler(), state);

        JsonNode outcome = fixture.run(fixture.verifyHandler(), state);

        assertThat(outcome.get("ready").asBoolean()).isTrue();
    }

    @Test
    void verify_publicationDropped_failsListingTheCheck() {
        state.set("provision", fixture.run(fixture.provisionHandler(), state));
        fixture.db.sql("DROP PUBLICATION bemi");

        assertThatThrownBy(() -> fixture.run(fixture.verifyHandler(), state))
                .isInstanceOf(VerificationFailedException.class)
                .hasMessageContaining("publication: publication bemi does not exist");
    }

    @Test
    void verify_beforeProvision_isInvalidSecretNamingTheCdcSecret() {
        assertThatThrownBy(() -> fixture.run(fixture.verifyHandler(), state))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining(fixture.cdcSecretName());
    }
}
