package io.cdcenabler.workflow;

/** How the target is deployed; it decides where the parameter lives and what is rebooted. */
public enum Topology {
    /** One DB instance (Single-AZ): DB parameter group, RebootDBInstance. */
    SINGLE_INSTANCE,
    /** A Multi-AZ DB instance: DB parameter group, RebootDBInstance without failover. */
    MULTI_AZ_INSTANCE,
    /** Aurora PostgreSQL: DB cluster parameter group, RebootDBInstance of the writer. */
    AURORA_CLUSTER,
    /** A Multi-AZ DB cluster (not Aurora): DB cluster parameter group, RebootDBCluster. */
    MULTI_AZ_CLUSTER
}
