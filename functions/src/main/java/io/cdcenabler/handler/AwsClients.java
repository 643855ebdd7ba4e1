package io.cdcenabler.handler;

import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The SDK clients of one Lambda container, built once per cold start and shared by every invocation: the small
 * url-connection HTTP client, bounded call timeouts, region and credentials from the Lambda environment, and the
 * SDK's standard endpoint override (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_RDS, ...) for tests against LocalStack.
 */
public final class AwsClients {
    private static final ClientOverrideConfiguration TIMEOUTS = ClientOverrideConfiguration.builder()
            .apiCallTimeout(Duration.ofSeconds(20))
            .apiCallAttemptTimeout(Duration.ofSeconds(5))
            .build();

    private static final Lazy<RdsClient> RDS = new Lazy<>(() -> build(RdsClient.builder()));
    private static final Lazy<SecretsManagerClient> SECRETS_MANAGER =
            new Lazy<>(() -> build(SecretsManagerClient.builder()));
    private static final Lazy<CloudWatchClient> CLOUD_WATCH = new Lazy<>(() -> build(CloudWatchClient.builder()));
    private static final Lazy<DynamoDbClient> DYNAMO_DB = new Lazy<>(() -> build(DynamoDbClient.builder()));

    private AwsClients() {
    }

    public static RdsClient rds() {
        return RDS.get();
    }

    public static SecretsManagerClient secretsManager() {
        return SECRETS_MANAGER.get();
    }

    public static CloudWatchClient cloudWatch() {
        return CLOUD_WATCH.get();
    }

    public static DynamoDbClient dynamoDb() {
        return DYNAMO_DB.get();
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
        return builder.httpClientBuilder(UrlConnectionHttpClient.builder()).overrideConfiguration(TIMEOUTS).build();
    }

    /** Builds its client on first use, once, however many threads ask at once. */
    private static final class Lazy<T> {
        private final Supplier<T> build;
        private volatile T value;

        Lazy(Supplier<T> build) {
            this.build = build;
        }

        T get() {
            T client = value;
            if (client == null) {
                synchronized (this) {
                    if (value == null) {
                        value = build.get();
                    }
                    client = value;
                }
            }
            return client;
        }
    }
}
