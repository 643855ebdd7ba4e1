package io.cdcenabler.cli;

import software.amazon.awssdk.services.sfn.SfnClient;

/** Builds the Step Functions client of {@code cdc-enabler start}; the test seam through which tests pass a fake. */
@FunctionalInterface
interface SfnClientFactory {
    /** A client for the region, or for the SDK's default region chain when {@code region} is null. */
    SfnClient create(String region);

    /** The client as {@link CliAwsClients} builds every client of the command line. */
    static SfnClientFactory sdkDefaults() {
        return region -> CliAwsClients.build(SfnClient.builder(), region);
    }
}
