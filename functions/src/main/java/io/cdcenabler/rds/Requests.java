package io.cdcenabler.rds;

import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.RequestTrackingMode;

/** Builds the normalised request for an event, or re-aims a manual request at the cluster an instance belongs to. */
final class Requests {
    private Requests() {
    }

    static ProvisioningRequest fromEvent(RdsEvent event, EventDefaults defaults) {
        boolean cluster = event.isClusterEvent();
        return ProvisioningRequest.builder()
                .instanceIdentifier(cluster ? null : event.sourceIdentifier())
                .clusterIdentifier(cluster ? event.sourceIdentifier() : null)
                .trackingMode(RequestTrackingMode.of(defaults.trackingMode()))
                .schemas(defaults.schemas())
                .publication(defaults.publication())
                .rebootPolicy(defaults.rebootPolicy())
                .waitSeconds(defaults.waitSeconds())
                .waitTimeoutMinutes(defaults.waitTimeoutMinutes())
                .source("aws.rds:" + event.eventId())
                .build();
    }

    static ProvisioningRequest forCluster(ProvisioningRequest request, String clusterIdentifier) {
        return request.toBuilder().instanceIdentifier(null).clusterIdentifier(clusterIdentifier).build();
    }
}
