package io.cdcenabler.contract;

import java.util.List;

/** The RDS events that start the workflow: the EventBridge rule matches them and DescribeTarget handles them. */
public final class RdsEvents {
    /** The EventBridge source of RDS events. */
    public static final String SOURCE = "aws.rds";
    /** Created, cluster created, restored from snapshot, point-in-time restore. */
    public static final List<String> HANDLED_EVENT_IDS = List.of(
            "RDS-EVENT-0005", "RDS-EVENT-0170", "RDS-EVENT-0043", "RDS-EVENT-0019");
    /** The detail types of instance and cluster events. */
    public static final List<String> DETAIL_TYPES = List.of("RDS DB Instance Event", "RDS DB Cluster Event");

    /**
     * Instance events after which an enrolled target may have drifted, so reconciliation verifies and repairs it:
     * moved to another parameter group (0011 configuration change, 0092 finished updating), failover (0013 started,
     * 0015 / 0049 completed), restart (0006), restore (0019 point in time, 0043 snapshot; the restored database takes
     * the source's parameter group), major version upgrade finished (0268) or rolled back (0270).
     */
    public static final List<String> INSTANCE_DRIFT_EVENT_IDS = List.of(
            "RDS-EVENT-0011", "RDS-EVENT-0092", "RDS-EVENT-0013", "RDS-EVENT-0015", "RDS-EVENT-0049",
            "RDS-EVENT-0006", "RDS-EVENT-0019", "RDS-EVENT-0043", "RDS-EVENT-0268", "RDS-EVENT-0270");
    /** Cluster events after which an enrolled cluster may have drifted: failover completed (0071), upgraded (0176). */
    public static final List<String> CLUSTER_DRIFT_EVENT_IDS = List.of("RDS-EVENT-0071", "RDS-EVENT-0176");
    /** A parameter was edited in a DB parameter group (0037); its detail type is {@link #PARAMETER_GROUP_DETAIL_TYPE}. */
    public static final List<String> PARAMETER_GROUP_EVENT_IDS = List.of("RDS-EVENT-0037");
    public static final String PARAMETER_GROUP_DETAIL_TYPE = "RDS DB Parameter Group Event";
    /** A Blue/Green switchover completed (0248): the new production database is re-enrolled under its name. */
    public static final List<String> BLUE_GREEN_EVENT_IDS = List.of("RDS-EVENT-0248");
    public static final String BLUE_GREEN_DETAIL_TYPE = "RDS Blue Green Deployment Event";
    /**
     * DB cluster parameter group edits have no RDS event: only CloudTrail shows them, as these API calls (detail type
     * {@link #CLOUDTRAIL_DETAIL_TYPE}, event source {@link #CLOUDTRAIL_EVENT_SOURCE}).
     */
    public static final List<String> CLUSTER_PARAMETER_GROUP_CALLS = List.of(
            "ModifyDBClusterParameterGroup", "ResetDBClusterParameterGroup");
    public static final String CLOUDTRAIL_DETAIL_TYPE = "AWS API Call via CloudTrail";
    public static final String CLOUDTRAIL_EVENT_SOURCE = "rds.amazonaws.com";

    private RdsEvents() {
    }
}
