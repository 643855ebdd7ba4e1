package io.cdcenabler.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.postgres.Secret;
import io.cdcenabler.testing.AdminSecretJson;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.StepOutcomes.CredentialsReference;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.Topology;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * AdminSecrets and CdcSecretStore against Secrets Manager as LocalStack serves it: real request and response
 * shapes, ARNs and version ids instead of the fake's. Needs a Docker engine; without one the class is skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackSecretsManagerTest {
    static final DockerImageName LOCALSTACK = DockerImageName.parse("localstack/localstack:4.4.0");

    @Container
    static final LocalStackContainer LOCAL_STACK = withAuthToken(new LocalStackContainer(LOCALSTACK)
            .withServices("secretsmanager"));

    private static SecretsManagerClient secretsManager;

    /** Newer LocalStack images want an auth token even for the community services; pass one when configured. */
    static LocalStackContainer withAuthToken(LocalStackContainer container) {
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        return token == null || token.isBlank() ? container : container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
    }

    @BeforeAll
    static void client() {
        secretsManager = SecretsManagerClient.builder()
                .endpointOverride(LOCAL_STACK.getEndpoint())
                .region(Region.of(LOCAL_STACK.getRegion()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LOCAL_STACK.getAccessKey(), LOCAL_STACK.getSecretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(20)))
                .build();
    }

    @AfterAll
    static void close() {
        if (secretsManager != null) {
            secretsManager.close();
        }
    }

    @Test
    void adminSecrets_resolveThenRead_returnTheReferenceAndThatVersionsCredentials() {
        String arn = secretsManager.createSecret(request -> request.name("rds-admin/orders-db")
                .secretString(AdminSecretJson.of("postgres", "admin-pw-1"))).arn();
        AdminSecrets adminSecrets = new AdminSecrets(secretsManager);

        CredentialsReference reference = adminSecrets.resolve(target("orders-db", arn));
        AdminCredentials credentials = adminSecrets.read(reference);

        assertThat(reference.secretArn()).isEqualTo(arn);
        assertThat(reference.versionId()).isNotBlank();
        assertThat(reference.username()).isEqualTo("postgres");
        assertThat(credentials.username()).isEqualTo("postgres");
        assertThat(credentials.password().revealAsString()).isEqualTo("admin-pw-1");
    }

    @Test
    void cdcSecretStore_createThenRerun_keepsOneVersionAndThePassword() {
        CdcSecretStore store = new CdcSecretStore(secretsManager);
        String name = CdcSecretStore.secretName("orders-db", "app", "cdc_reader");
        CdcConnection connection = new CdcConnection("orders-db.example.us-east-1.rds.amazonaws.com", 5432,
                "cdc_reader", "app", "bemi");

        CdcSecretStore.StoreResult created = store.store(name, connection, Secret.of("cdc-pw-1"));
        CdcSecretStore.StoreResult rerun = store.store(name, connection,
                store.find(name).orElseThrow().password());

        assertThat(created.action()).isEqualTo(CdcSecretStore.Action.CREATED);
        assertThat(rerun.action()).isEqualTo(CdcSecretStore.Action.UNCHANGED);
        assertThat(rerun.arn()).isEqualTo(created.arn());
        assertThat(rerun.versionId()).isEqualTo(created.versionId());
        assertThat(secretsManager.listSecretVersionIds(request -> request.secretId(created.arn())).versions())
                .hasSize(1);
        assertThat(store.read(name).password().revealAsString()).isEqualTo("cdc-pw-1");
    }

    @Test
    void cdcSecretStore_whenTheEndpointMoves_putsOneNewVersionWithTheSamePassword() {
        CdcSecretStore store = new CdcSecretStore(secretsManager);
        String name = CdcSecretStore.secretName("moved-db", "app", "cdc_reader");
        store.store(name, new CdcConnection("old.example.com", 5432, "cdc_reader", "app", "bemi"),
                Secret.of("cdc-pw-2"));

        CdcSecretStore.StoreResult moved = store.store(name,
                new CdcConnection("new.example.com", 5432, "cdc_reader", "app", "bemi"), Secret.of("cdc-pw-2"));

        assertThat(moved.action()).isEqualTo(CdcSecretStore.Action.UPDATED);
        assertThat(secretsManager.getSecretValue(request -> request.secretId(name)).secretString())
                .contains("\"host\":\"new.example.com\"");
        assertThat(store.read(name).password().revealAsString()).isEqualTo("cdc-pw-2");
    }

    private static TargetDescription target(String instance, String adminSecretArn) {
        ProvisioningRequest request = ProvisioningRequest.builder().instanceIdentifier(instance).database("app")
                .adminSecretArn(adminSecretArn).build();
        return new TargetDescription(false, null, request, Topology.SINGLE_INSTANCE, "postgres", "16.4", "postgres16",
                "cdc-enabler-postgres16", "in-sync", instance, instance + ".example.us-east-1.rds.amazonaws.com", 5432,
                "app", null, 100, null);
    }
}
