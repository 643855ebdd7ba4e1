package io.cdcenabler.workflow;

/**
 * Permanent: the database's wal_level is not logical although the workflow got here, e.g. the instance was not
 * rebooted after rds.logical_replication=1 was set, or an Aurora writer still runs on the old cluster parameter
 * group. Reboot the writer (without failover) and run the workflow again.
 */
public final class LogicalReplicationOffException extends WorkflowException {
    public LogicalReplicationOffException(String message, Throwable cause) {
        super(message, cause);
    }
}
