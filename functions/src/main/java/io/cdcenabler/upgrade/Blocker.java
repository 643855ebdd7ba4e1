package io.cdcenabler.upgrade;

/**
 * Something that makes RDS refuse or break the major version upgrade until someone acts on it; read only, never
 * changed by prepare-upgrade.
 *
 * @param subject what it is, e.g. {@code logical replication slot bemi_slot (plugin pgoutput, active, database app)}
 * @param action what its owner must do before (and after) the upgrade
 */
public record Blocker(Kind kind, String name, String subject, String action) {

    /** The kinds of blocker. */
    public enum Kind {
        /** A logical replication slot on a source below PostgreSQL 17: pg_upgrade refuses it. */
        LOGICAL_SLOT,
        /** An event trigger of the application: it can fail the upgrade, its owner drops it first. */
        EVENT_TRIGGER
    }
}
