package io.cdcenabler.rds;

import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.RequestDefaults;
import io.cdcenabler.workflow.SlotWalCap;
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
                .maxSlotWalKeepSize(defaults.maxSlotWalKeepSize())
                .build();
    }

    /**
     * The request with its WAL retention cap as a size for this target: the default when it names none, a share
     * taken of {@code allocatedStorageGib}. Aurora's storage grows on its own, so a share there leaves the cap alone
     * (null) when it is the default or an event's; a share named in a manual request is refused.
     *
     * @param allocatedStorageGib the target's allocated storage, null for Aurora
     * @param event whether the request comes from an RDS event (its cap is the deployment's default)
     */
    static ProvisioningRequest withCap(ProvisioningRequest request, Integer allocatedStorageGib, boolean event) {
        boolean named = request.maxSlotWalKeepSize() != null;
        String cap = named ? request.maxSlotWalKeepSize()
                : SlotWalCap.normalise(SlotWalCap.FIELD, RequestDefaults.MAX_SLOT_WAL_KEEP_SIZE);
        if (SlotWalCap.isShare(cap) && allocatedStorageGib == null) {
            if (named && !event) {
                throw new InvalidInputException(SlotWalCap.FIELD + " " + cap + " is a share of allocated storage, "
                        + "which Aurora DB cluster " + request.identifier() + " does not have (its storage grows "
                        + "on its own); give a size such as 100GB, or off");
            }
            return request.toBuilder().maxSlotWalKeepSize(null).build();
        }
        return request.toBuilder().maxSlotWalKeepSize(SlotWalCap.resolve(cap,
                allocatedStorageGib == null ? 0 : allocatedStorageGib)).build();
    }

    static ProvisioningRequest forCluster(ProvisioningRequest request, String clusterIdentifier) {
        return request.toBuilder().instanceIdentifier(null).clusterIdentifier(clusterIdentifier).build();
    }
}
