package io.cdcenabler.handler;

import java.time.Duration;
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

    private static volatile RdsClient rds;
    private static volatile SecretsManagerClient secretsManager;
    private static volatile CloudWatchClient cloudWatch;
    private static volatile DynamoDbClient dynamoDb;

    private AwsClients() {
    }

    public static RdsClient rds() {
        RdsClient client = rds;
        if (client == null) {
            synchronized (AwsClients.class) {
                if (rds == null) {
                    rds = RdsClient.builder()
                            .httpClientBuilder(UrlConnectionHttpClient.builder())
                            .overrideConfiguration(TIMEOUTS)
                            .build();
                }
                client = rds;
            }
        }
        return client;
    }

    public static SecretsManagerClient secretsManager() {
        SecretsManagerClient client = secretsManager;
        if (client == null) {
            synchronized (AwsClients.class) {
                if (secretsManager == null) {
                    secretsManager = SecretsManagerClient.builder()
                            .httpClientBuilder(UrlConnectionHttpClient.builder())
                            .overrideConfiguration(TIMEOUTS)
                            .build();
                }
                client = secretsManager;
            }
        }
        return client;
    }

    public static CloudWatchClient cloudWatch() {
        CloudWatchClient client = cloudWatch;
        if (client == null) {
            synchronized (AwsClients.class) {
                if (cloudWatch == null) {
                    cloudWatch = CloudWatchClient.builder()
                            .httpClientBuilder(UrlConnectionHttpClient.builder())
                            .overrideConfiguration(TIMEOUTS)
                            .build();
                }
                client = cloudWatch;
            }
        }
        return client;
    }

    public static DynamoDbClient dynamoDb() {
        DynamoDbClient client = dynamoDb;
        if (client == null) {
            synchronized (AwsClients.class) {
                if (dynamoDb == null) {
                    dynamoDb = DynamoDbClient.builder()
                            .httpClientBuilder(UrlConnectionHttpClient.builder())
                            .overrideConfiguration(TIMEOUTS)
                            .build();
                }
                client = dynamoDb;
            }
        }
        return client;
    }
}
