package io.cdcenabler.cli;

import software.amazon.awssdk.services.rds.RdsClient;

/** Builds the RDS client of {@code cdc-enabler prepare-upgrade}; the test seam through which tests pass a fake. */
@FunctionalInterface
interface RdsClientFactory {
    /** A client for the region, or for the SDK's default region chain when {@code region} is null. */
    RdsClient create(String region);

    /** The client as {@link CliAwsClients} builds every client of the command line. */
    static RdsClientFactory sdkDefaults() {
        return region -> CliAwsClients.build(RdsClient.builder(), region);
    }
}
