package io.cdcenabler.rds;

import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.TargetNotFoundException;
import io.cdcenabler.workflow.Topology;
import io.cdcenabler.workflow.WorkflowState;
import java.util.Objects;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * The target as RDS reports it now (the later steps re-read it instead of trusting DescribeTarget's snapshot, so a
 * retried or repeated step sees what an earlier attempt already did).
 *
 * @param status the instance status, or for clusters the cluster status unless it is available, then the writer's
 * @param parameterGroupName the DB parameter group, or the DB cluster parameter group for clusters
 * @param parameterApplyStatus of that group on the instance, or on the writer member for clusters
 * @param writerInstanceIdentifier the instance to reboot (also set for Multi-AZ DB clusters)
 * @param clusterIdentifier null for instance topologies
 */
public record LiveTarget(String identifier, Topology topology, String status, String parameterGroupName,
                         String parameterApplyStatus, String writerInstanceIdentifier, String clusterIdentifier,
                         String preferredMaintenanceWindow) {

    public boolean isCluster() {
        return clusterIdentifier != null;
    }

    /** The target DescribeTarget found, failing with a named error when it is missing or was skipped. */
    public static TargetDescription targetOf(WorkflowState state) {
        if (state.target() != null && state.target().skipped()) {
            throw new InvalidInputException("state.target was skipped by DescribeTarget (" + state.target().skipReason()
                    + "); there is nothing to do");
        }
        return state.requireTarget();
    }

    /** Reads the live state of {@code target} with DescribeDBInstances and/or DescribeDBClusters. */
    public static LiveTarget read(RdsClient rds, TargetDescription target) {
        Topology topology = Objects.requireNonNull(target.topology(), "target.topology");
        String id = target.request().identifier();
        if (topology == Topology.SINGLE_INSTANCE || topology == Topology.MULTI_AZ_INSTANCE) {
            DBInstance instance = describeInstance(rds, id);
            var group = instance.dbParameterGroups().isEmpty() ? null : instance.dbParameterGroups().get(0);
            return new LiveTarget(id, topology, instance.dbInstanceStatus(),
                    group == null ? null : group.dbParameterGroupName(),
                    group == null ? null : group.parameterApplyStatus(), id, null,
                    instance.preferredMaintenanceWindow());
        }
        DBCluster cluster = RdsErrors.call("DescribeDBClusters " + id,
                () -> rds.describeDBClusters(r -> r.dbClusterIdentifier(id))).dbClusters().stream().findFirst()
                .orElseThrow(() -> new TargetNotFoundException("no DB cluster has the "
                        + "identifier " + id));
        DBClusterMember writer = TargetResolver.writerOf(cluster).orElse(null);
        String applyStatus = writer == null ? null : writer.dbClusterParameterGroupStatus();
        String writerId = writer == null ? null : writer.dbInstanceIdentifier();
        if (topology == Topology.MULTI_AZ_CLUSTER) {
            return new LiveTarget(id, topology, cluster.status(), cluster.dbClusterParameterGroup(), applyStatus,
                    writerId, id, cluster.preferredMaintenanceWindow());
        }
        String status = cluster.status();
        String window = cluster.preferredMaintenanceWindow();
        if (writerId != null) {
            DBInstance writerInstance = describeInstance(rds, writerId);
            window = writerInstance.preferredMaintenanceWindow() != null
                    ? writerInstance.preferredMaintenanceWindow() : window;
            if ("available".equals(status)) {
                status = writerInstance.dbInstanceStatus();
            }
        }
        return new LiveTarget(id, topology, status, cluster.dbClusterParameterGroup(), applyStatus, writerId, id,
                window);
    }

    private static DBInstance describeInstance(RdsClient rds, String id) {
        return RdsErrors.call("DescribeDBInstances " + id,
                        () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)))
                .dbInstances().stream().findFirst()
                .orElseThrow(() -> new TargetNotFoundException("no DB instance has the "
                        + "identifier " + id));
    }
}
