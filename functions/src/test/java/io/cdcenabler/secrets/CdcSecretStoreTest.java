package io.cdcenabler.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.secrets.CdcSecretStore.Action;
import io.cdcenabler.secrets.CdcSecretStore.StoreResult;
import io.cdcenabler.testing.FakeSecretsManager;
import io.cdcenabler.workflow.InvalidSecretException;
import io.cdcenabler.workflow.ThrottledException;
import org.junit.jupiter.api.Test;

class CdcSecretStoreTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String NAME = CdcSecretStore.secretName("orders-db", "app", "cdc_reader");
    private static final CdcConnection CONNECTION = new CdcConnection("orders-db.abc.us-east-1.rds.amazonaws.com",
            5432, "cdc_reader", "app", "bemi");

    private final FakeSecretsManager secretsManager = new FakeSecretsManager();
    private final CdcSecretStore store = new CdcSecretStore(secretsManager);

    @Test
    void secretName_isDeterministicAndUsesOnlyAllowedCharacters() {
        assertThat(NAME).isEqualTo("cdc-enabler/orders-db/app/cdc_reader");
        assertThat(CdcSecretStore.secretName("orders-db", "my app/db", "Cdc User"))
                .isEqualTo("cdc-enabler/orders-db/my_app_db/Cdc_User");
    }

    @Test
    void store_absent_createsTheSecretInTheConventionalShape() throws Exception {
        StoreResult result = store.store(NAME, CONNECTION, Secret.of("pw-1"));

        assertThat(result.action()).isEqualTo(Action.CREATED);
        assertThat(secretsManager.secretNames()).containsExactly(NAME);
        JsonNode stored = MAPPER.readTree(secretsManager.currentSecretString(result.arn()));
        assertThat(stored.get("engine").asText()).isEqualTo("postgres");
        assertThat(stored.get("host").asText()).isEqualTo(CONNECTION.host());
        assertThat(stored.get("port").asInt()).isEqualTo(5432);
        assertThat(stored.get("username").asText()).isEqualTo("cdc_reader");
        assertThat(stored.get("password").asText()).isEqualTo("pw-1");
        assertThat(stored.get("dbname").asText()).isEqualTo("app");
        assertThat(stored.get("publication").asText()).isEqualTo("bemi");
    }

    @Test
    void store_sameValuesAgain_keepsTheVersion() {
        StoreResult first = store.store(NAME, CONNECTION, Secret.of("pw-1"));

        StoreResult second = store.store(NAME, CONNECTION, Secret.of("pw-1"));

        assertThat(second.action()).isEqualTo(Action.UNCHANGED);
        assertThat(second.versionId()).isEqualTo(first.versionId());
        assertThat(secretsManager.versionCount(NAME)).isEqualTo(1);
    }

    @Test
    void store_changedHost_putsANewVersionAndKeepsFieldsOthersAdded() throws Exception {
        String arn = secretsManager.seed(NAME, "{\"engine\":\"postgres\",\"host\":\"old\",\"port\":5432,"
                + "\"username\":\"cdc_reader\",\"password\":\"pw-1\",\"dbname\":\"app\",\"publication\":\"bemi\","
                + "\"masterarn\":\"arn:x\"}");

        StoreResult result = store.store(NAME, CONNECTION, Secret.of("pw-1"));

        assertThat(result.action()).isEqualTo(Action.UPDATED);
        assertThat(result.arn()).isEqualTo(arn);
        assertThat(secretsManager.versionCount(NAME)).isEqualTo(2);
        JsonNode stored = MAPPER.readTree(secretsManager.currentSecretString(NAME));
        assertThat(stored.get("host").asText()).isEqualTo(CONNECTION.host());
        assertThat(stored.get("masterarn").asText()).isEqualTo("arn:x");
    }

    @Test
    void find_existing_returnsItsPassword() {
        store.store(NAME, CONNECTION, Secret.of("pw-1"));

        StoredCdcSecret found = store.find(NAME).orElseThrow();

        assertThat(found.password().revealAsString()).isEqualTo("pw-1");
        assertThat(found.toString()).doesNotContain("pw-1");
        assertThat(store.find("cdc-enabler/other/app/cdc_reader")).isEmpty();
    }

    @Test
    void read_missing_isInvalidSecret() {
        assertThatThrownBy(() -> store.read(NAME)).isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining(NAME);
    }

    @Test
    void store_throttled_isTransientAndCreatesNothing() {
        secretsManager.throttleNextCalls(1);

        assertThatThrownBy(() -> store.store(NAME, CONNECTION, Secret.of("pw")))
                .isInstanceOf(ThrottledException.class);
        assertThat(secretsManager.secretNames()).isEmpty();
    }

    @Test
    void store_accessDenied_isInvalidSecretWithAClearMessage() {
        secretsManager.denyAccessTo(NAME);

        assertThatThrownBy(() -> store.store(NAME, CONNECTION, Secret.of("pw")))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("access denied")
                .hasMessageContaining(NAME);
    }
}
