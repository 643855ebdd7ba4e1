package io.cdcenabler.workflow;

/** When the reboot that turns on logical replication may happen. */
public enum RebootPolicy {
    /** Reboot the writer now, once. */
    IMMEDIATE,
    /** Wait until the next maintenance window starts, then reboot. */
    NEXT_MAINTENANCE_WINDOW,
    /** Never reboot: end with "reboot pending" for an operator. */
    NONE
}
