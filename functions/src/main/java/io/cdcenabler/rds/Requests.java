package io.cdcenabler.rds;

import io.cdcenabler.workflow.ProvisioningRequest;

/** Builds the normalised request for an event, or re-aims a manual request at the cluster an instance belongs to. */
final class Requests {
    private Requests() {
    }

    static ProvisioningRequest fromEvent(RdsEvent event, EventDefaults defaults) {
        boolean cluster = event.isClusterEvent();
        return new ProvisioningRequest(cluster ? null : event.sourceIdentifier(),
                cluster ? event.sourceIdentifier() : null, null, defaults.trackingMode(), defaults.schemas(), null,
                null, null, defaults.publication(), false, defaults.rebootPolicy(), null, false, null,
                defaults.waitSeconds(), defaults.waitTimeoutMinutes(), "aws.rds:" + event.eventId(), false);
    }

    static ProvisioningRequest forCluster(ProvisioningRequest r, String clusterIdentifier) {
        return new ProvisioningRequest(null, clusterIdentifier, r.database(), r.trackingMode(), r.schemas(),
                r.tables(), r.credentialsMode(), r.cdcUser(), r.publication(), r.publishViaPartitionRoot(),
                r.rebootPolicy(), r.adminSecretArn(), r.copyParameterGroup(), r.extraParameters(), r.waitSeconds(),
                r.waitTimeoutMinutes(), r.source(), r.adoptExistingRole());
    }
}
