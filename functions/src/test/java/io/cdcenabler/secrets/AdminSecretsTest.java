package io.cdcenabler.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cdcenabler.testing.AdminSecretJson;
import io.cdcenabler.testing.FakeSecretsManager;
import io.cdcenabler.workflow.InvalidSecretException;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.StepOutcomes.CredentialsReference;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.ThrottledException;
import io.cdcenabler.workflow.Topology;
import org.junit.jupiter.api.Test;

class AdminSecretsTest {
    private static final String PASSWORD = "Adm1n-s3cret-value";

    private final FakeSecretsManager secretsManager = new FakeSecretsManager();
    private final AdminSecrets adminSecrets = new AdminSecrets(secretsManager);

    @Test
    void resolve_withoutAdminSecretArn_usesTheMasterUserSecretAndReturnsOnlyItsReference() {
        String arn = secretsManager.seed("rds!db-1234", AdminSecretJson.of("postgres", PASSWORD));

        CredentialsReference reference = adminSecrets.resolve(target(null, arn));

        assertThat(reference.secretArn()).isEqualTo(arn);
        assertThat(reference.versionId()).isEqualTo(secretsManager.currentVersionId(arn));
        assertThat(reference.username()).isEqualTo("postgres");
        assertThat(reference.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void resolve_withAdminSecretArn_prefersItOverTheMasterUserSecret() {
        String master = secretsManager.seed("rds!db-1234", AdminSecretJson.of("postgres", "a"));
        String admin = secretsManager.seed("ops/admin", AdminSecretJson.of("ops_admin", "b"));

        CredentialsReference reference = adminSecrets.resolve(target(admin, master));

        assertThat(reference.secretArn()).isEqualTo(admin);
        assertThat(reference.username()).isEqualTo("ops_admin");
    }

    @Test
    void resolve_withNeitherSecret_namesBothFields() {
        assertThatThrownBy(() -> adminSecrets.resolve(target(null, null)))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("request.adminSecretArn")
                .hasMessageContaining("target.masterSecretArn");
    }

    @Test
    void resolve_missingSecret_isInvalidSecret() {
        String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:gone-AbCdEf";

        assertThatThrownBy(() -> adminSecrets.resolve(target(arn, null)))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining(arn)
                .hasMessageContaining("does not exist");
    }

    @Test
    void resolve_secretWithoutPassword_namesTheFieldAndNoValue() {
        String arn = secretsManager.seed("ops/admin", "{\"username\":\"ops_admin\",\"pass\":\"" + PASSWORD + "\"}");

        InvalidSecretException error = catchThrowableOfType(InvalidSecretException.class,
                () -> adminSecrets.resolve(target(arn, null)));

        assertThat(error.getMessage()).contains("password", arn).doesNotContain(PASSWORD, "ops_admin");
    }

    @Test
    void resolve_emptyUsername_isInvalidSecret() {
        String arn = secretsManager.seed("ops/admin", AdminSecretJson.of("", PASSWORD));

        assertThatThrownBy(() -> adminSecrets.resolve(target(arn, null)))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("username")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void resolve_notJson_doesNotEchoTheSecretText() {
        String arn = secretsManager.seed("ops/admin", "postgres:" + PASSWORD);

        InvalidSecretException error = catchThrowableOfType(InvalidSecretException.class,
                () -> adminSecrets.resolve(target(arn, null)));

        assertThat(error.getMessage()).contains("not valid JSON").doesNotContain(PASSWORD);
    }

    @Test
    void resolve_throttled_isTransient() {
        String arn = secretsManager.seed("ops/admin", AdminSecretJson.of("u", "p"));
        secretsManager.throttleNextCalls(1);

        assertThatThrownBy(() -> adminSecrets.resolve(target(arn, null))).isInstanceOf(ThrottledException.class);
    }

    @Test
    void resolve_accessDenied_isInvalidSecretNamingThePermission() {
        String arn = secretsManager.seed("ops/admin", AdminSecretJson.of("u", "p"));
        secretsManager.denyAccessTo(arn);

        assertThatThrownBy(() -> adminSecrets.resolve(target(arn, null)))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining("secretsmanager:GetSecretValue")
                .hasMessageContaining("kms:Decrypt");
    }

    @Test
    void read_afterRotation_returnsExactlyTheReferencedVersion() {
        String arn = secretsManager.seed("rds!db-1234", AdminSecretJson.of("postgres", "old-pw"));
        CredentialsReference reference = adminSecrets.resolve(target(null, arn));
        secretsManager.rotate(arn, AdminSecretJson.of("postgres", "new-pw"));

        AdminCredentials credentials = adminSecrets.read(reference);

        assertThat(credentials.password().revealAsString()).isEqualTo("old-pw");
        assertThat(credentials.versionId()).isEqualTo(reference.versionId());
        assertThat(credentials.toString()).doesNotContain("old-pw");
    }

    @Test
    void read_unknownVersion_isInvalidSecret() {
        String arn = secretsManager.seed("rds!db-1234", AdminSecretJson.of("postgres", "pw"));

        assertThatThrownBy(() -> adminSecrets.read(new CredentialsReference(arn, "no-such-version", "postgres")))
                .isInstanceOf(InvalidSecretException.class)
                .hasMessageContaining(arn);
    }

    private static TargetDescription target(String adminSecretArn, String masterSecretArn) {
        ProvisioningRequest request = ProvisioningRequest.builder().instanceIdentifier("orders-db").database("app")
                .adminSecretArn(adminSecretArn).build();
        return new TargetDescription(false, null, request, Topology.SINGLE_INSTANCE, "postgres", "16.4",
                "postgres16", "cdc-enabler-postgres16", "in-sync", "orders-db",
                "orders-db.abc123.us-east-1.rds.amazonaws.com", 5432, "app", masterSecretArn, 100, null);
    }
}
