package io.cdcenabler.cli;

import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/** Builds the CloudWatch client of {@code cdc-enabler alarms}; the test seam through which tests pass a fake. */
@FunctionalInterface
interface CloudWatchClientFactory {
    /** A client for the region, or for the SDK's default region chain when {@code region} is null. */
    CloudWatchClient create(String region);

    /** The client as {@link CliAwsClients} builds every client of the command line. */
    static CloudWatchClientFactory sdkDefaults() {
        return region -> CliAwsClients.build(CloudWatchClient.builder(), region);
    }
}
