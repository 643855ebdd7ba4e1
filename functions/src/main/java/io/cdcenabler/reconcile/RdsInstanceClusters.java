package io.cdcenabler.reconcile;

import io.cdcenabler.rds.RdsErrors;
import io.cdcenabler.workflow.TargetNotFoundException;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/** {@link InstanceClusters} through DescribeDBInstances: its DBClusterIdentifier. Reads only. */
public final class RdsInstanceClusters implements InstanceClusters {
    private final RdsClient rds;

    public RdsInstanceClusters(RdsClient rds) {
        this.rds = rds;
    }

    @Override
    public Optional<String> clusterOf(String instanceId) {
        try {
            DBInstance instance = RdsErrors.call("DescribeDBInstances " + instanceId,
                    () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(instanceId))).dbInstances().stream()
                    .findFirst().orElse(null);
            return instance == null ? Optional.empty() : Optional.ofNullable(instance.dbClusterIdentifier());
        } catch (TargetNotFoundException e) {
            // Deleted since the event was sent: nothing of it can be verified, and that is not a failure.
            return Optional.empty();
        }
    }
}
