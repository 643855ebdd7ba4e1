package io.cdcenabler.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.postgres.Secret;
import io.cdcenabler.secrets.CdcSecretStore.Action;
import io.cdcenabler.secrets.CdcSecretStore.Ensured;
import io.cdcenabler.testing.FakeSecretsManager;
import io.cdcenabler.workflow.InvalidSecretException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The CDC secret is created with its password before any role gets it, and concurrent runs converge on it. */
class CdcSecretEnsureTest {
    private static final String NAME = CdcSecretStore.secretName("orders-db", "app", "cdc_reader");
    private static final CdcConnection CONNECTION = new CdcConnection("orders-db.abc.us-east-1.rds.amazonaws.com",
            5432, "cdc_reader", "app", "bemi");

    private final FakeSecretsManager secretsManager = new FakeSecretsManager();
    private final CdcSecretStore store = new CdcSecretStore(secretsManager, 1);

    @Test
    void ensure_absent_createsTheSecretWithTheCandidate() {
        Ensured ensured = store.ensure(NAME, CONNECTION, Secret.of("candidate"));

        assertThat(ensured.action()).isEqualTo(Action.CREATED);
        assertThat(ensured.password().revealAsString()).isEqualTo("candidate");
        assertThat(secretsManager.currentSecretString(NAME)).contains("\"password\":\"candidate\"");
    }

    @Test
    void ensure_present_returnsTheStoredPasswordAndWritesNothing() {
        store.ensure(NAME, CONNECTION, Secret.of("first"));

        Ensured second = store.ensure(NAME, CONNECTION, Secret.of("second"));

        assertThat(second.action()).isEqualTo(Action.UNCHANGED);
        assertThat(second.password().revealAsString()).isEqualTo("first");
        assertThat(secretsManager.versionCount(NAME)).isEqualTo(1);
    }

    @Test
    void ensure_whenAnotherRunCreatedItAMomentAgo_andReadsLag_returnsThatRunsPassword() {
        secretsManager.readLagAfterWrites(3);
        Ensured first = store.ensure(NAME, CONNECTION, Secret.of("first"));

        Ensured second = store.ensure(NAME, CONNECTION, Secret.of("second"));

        assertThat(second.arn()).isEqualTo(first.arn());
        assertThat(second.password().revealAsString()).isEqualTo("first");
        assertThat(secretsManager.versionCount(NAME)).isEqualTo(1);
    }

    @Test
    void ensure_whenTheSecretExistsButNeverBecomesReadable_failsNamingIt() {
        secretsManager.readLagAfterWrites(100);
        store.ensure(NAME, CONNECTION, Secret.of("first"));

        assertThatThrownBy(() -> store.ensure(NAME, CONNECTION, Secret.of("second")))
                .isInstanceOf(InvalidSecretException.class).hasMessageContaining(NAME)
                .hasMessageContaining("could not be read");
    }

    @Test
    void ensure_secretWithoutPassword_getsTheCandidateInANewVersion() {
        secretsManager.seed(NAME, "{\"username\":\"cdc_reader\"}");

        Ensured ensured = store.ensure(NAME, CONNECTION, Secret.of("candidate"));

        assertThat(ensured.action()).isEqualTo(Action.UPDATED);
        assertThat(secretsManager.currentSecretString(NAME)).contains("\"password\":\"candidate\"");
    }

    @Test
    void fake_createSecret_sameTokenAndValue_isIgnored_otherValue_isRefused() {
        CreateSecretRequest request = CreateSecretRequest.builder().name(NAME).secretString("{\"a\":1}")
                .clientRequestToken("11111111-2222-3333-4444-555555555555").build();
        String arn = secretsManager.createSecret(request).arn();

        String again = secretsManager.createSecret(request).arn();

        assertThat(again).isEqualTo(arn);
        assertThat(secretsManager.versionCount(NAME)).isEqualTo(1);
        assertThatThrownBy(() -> secretsManager.createSecret(request.toBuilder().secretString("{\"a\":2}").build()))
                .isInstanceOf(ResourceExistsException.class);
        assertThatThrownBy(() -> secretsManager.createSecret(request.toBuilder().clientRequestToken(null).build()))
                .isInstanceOf(ResourceExistsException.class);
    }

    @Test
    void fake_readLag_hidesAJustCreatedSecretForTheGivenReads() {
        secretsManager.readLagAfterWrites(1);
        secretsManager.seed(NAME, "{\"a\":1}");
        GetSecretValueRequest read = GetSecretValueRequest.builder().secretId(NAME).build();

        assertThatThrownBy(() -> secretsManager.getSecretValue(read)).isInstanceOf(ResourceNotFoundException.class);
        assertThat(secretsManager.getSecretValue(read).secretString()).isEqualTo("{\"a\":1}");
    }
}
