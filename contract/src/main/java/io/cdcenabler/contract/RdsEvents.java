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

    private RdsEvents() {
    }
}
