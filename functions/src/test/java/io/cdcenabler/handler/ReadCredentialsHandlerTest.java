package io.cdcenabler.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.testing.AdminSecretJson;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.testing.FakeSecretsManager;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.InvalidSecretException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class ReadCredentialsHandlerTest {
    private static final String PASSWORD = "M4ster-pa55word-value";

    private final FakeSecretsManager secretsManager = new FakeSecretsManager();
    private final ReadCredentialsHandler handler = new ReadCredentialsHandler(secretsManager);

    @Test
    void handleRequest_masterUserSecret_outputsOnlyItsReference() throws IOException {
        String arn = secretsManager.seed("rds!db-5f1c2a7e", AdminSecretJson.of("postgres", PASSWORD));
        ObjectNode state = state();
        ((ObjectNode) state.get("target")).put("masterSecretArn", arn);

        String output = run(state);

        JsonNode credentials = Json.MAPPER.readTree(output);
        assertThat(credentials.get("secretArn").asText()).isEqualTo(arn);
        assertThat(credentials.get("versionId").asText()).isEqualTo(secretsManager.currentVersionId(arn));
        assertThat(credentials.get("username").asText()).isEqualTo("postgres");
        assertThat(output).doesNotContain(PASSWORD);
    }

    @Test
    void handleRequest_adminSecretArnInRequest_winsOverTheMasterUserSecret() throws IOException {
        String master = secretsManager.seed("rds!db-5f1c2a7e", AdminSecretJson.of("postgres", "a"));
        String admin = secretsManager.seed("ops/orders-db-admin", AdminSecretJson.of("ops", "b"));
        ObjectNode state = state();
        ((ObjectNode) state.get("target")).put("masterSecretArn", master);
        ((ObjectNode) state.get("target").get("request")).put("adminSecretArn", admin);

        JsonNode credentials = Json.MAPPER.readTree(run(state));

        assertThat(credentials.get("secretArn").asText()).isEqualTo(admin);
        assertThat(credentials.get("username").asText()).isEqualTo("ops");
    }

    /** AdminSecretsTest covers how each secret is resolved; here: its typed error leaves the handler unchanged. */
    @Test
    void handleRequest_masterSecretDeleted_isInvalidSecret() {
        assertThatThrownBy(() -> run(state())).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void handleRequest_stateWithoutTarget_isInvalidInput() {
        assertThatThrownBy(() -> run(Json.MAPPER.createObjectNode().put("instanceIdentifier", "orders-db")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("$.target");
    }

    private String run(JsonNode state) {
        return FakeRdsWorld.invoke(handler, state.toString()).toString();
    }

    private static ObjectNode state() {
        try (InputStream input = ReadCredentialsHandlerTest.class
                .getResourceAsStream("/events/state-after-check-status.json")) {
            return (ObjectNode) Json.MAPPER.readTree(input);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
