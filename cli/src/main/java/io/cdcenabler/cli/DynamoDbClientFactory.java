package io.cdcenabler.cli;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Builds the DynamoDB client of {@code cdc-enabler status}; the test seam through which tests pass a fake. */
@FunctionalInterface
interface DynamoDbClientFactory {
    /** A client for the region, or for the SDK's default region chain when {@code region} is null. */
    DynamoDbClient create(String region);

    /** The client as {@link CliAwsClients} builds every client of the command line. */
    static DynamoDbClientFactory sdkDefaults() {
        return region -> CliAwsClients.build(DynamoDbClient.builder(), region);
    }
}
