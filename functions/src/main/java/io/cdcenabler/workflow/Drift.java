package io.cdcenabler.workflow;

/**
 * One way an enrolled database no longer is as its enrolment left it, found by a read-only drift check.
 *
 * @param kind one of the constants here, e.g. {@link #PUBLICATION}
 * @param detail what drifted, naming the object: "public.orders replica identity DEFAULT, want FULL"
 */
public record Drift(String kind, String detail) {
    /** The instance or cluster no longer exists: enrolling again cannot repair it. */
    public static final String TARGET_GONE = "TARGET_GONE";
    /** The target no longer uses the parameter group recorded at enrolment. */
    public static final String PARAMETER_GROUP = "PARAMETER_GROUP";
    /** The group in effect lacks rds.logical_replication=1 or another planned CDC parameter. */
    public static final String PARAMETER_VALUE = "PARAMETER_VALUE";
    /** The server's wal_level is not logical (e.g. the group's value waits for a reboot). */
    public static final String WAL_LEVEL = "WAL_LEVEL";
    /** The engine's major version is not the one of the recorded group's family (a major upgrade landed). */
    public static final String ENGINE_MAJOR = "ENGINE_MAJOR";
    /** The publication is missing, lacks a tracked table or schema, or has other options than planned. */
    public static final String PUBLICATION = "PUBLICATION";
    /** A tracked table's replica identity is not the one the policy gives it. */
    public static final String REPLICA_IDENTITY = "REPLICA_IDENTITY";
    /** The event trigger, its function, its schema or its configuration is missing or outdated. */
    public static final String EVENT_TRIGGER = "EVENT_TRIGGER";
    /** The CDC role is missing, holds more than it should, or lacks a grant it needs. */
    public static final String CDC_ROLE = "CDC_ROLE";
    /** An object of the manual runbook that provisioning would remove. */
    public static final String RUNBOOK_OBJECT = "RUNBOOK_OBJECT";
    /**
     * Not a drift to repair but a report: prepare-upgrade holds the event trigger away until the server runs the new
     * major (the plan's note says which); new tables still get FULL from each run.
     */
    public static final String UPGRADE_HOLD = "UPGRADE_HOLD";
    /** A change provisioning would make that none of the other kinds describes. */
    public static final String OTHER = "OTHER";
}
