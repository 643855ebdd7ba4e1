package io.cdcenabler.reconcile;

import java.util.Optional;

/** Which DB cluster a DB instance belongs to (an Aurora or Multi-AZ DB cluster member's events are the cluster's). */
public interface InstanceClusters {
    /** The cluster of {@code instanceId}; empty when it is in none or no longer exists. */
    Optional<String> clusterOf(String instanceId);
}
