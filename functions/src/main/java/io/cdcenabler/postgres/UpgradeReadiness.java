package io.cdcenabler.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What stands between a database and a major version upgrade, read in a READ ONLY transaction: the server's logical
 * replication slots (pg_upgrade before PostgreSQL 17 refuses to run while any exists, in any database) and the event
 * triggers of the connected database, ours and the application's. And the one change the upgrade needs of us: our
 * event trigger dropped, under the lock policy's lock_timeout. Its function and the configuration in that function's
 * comment stay, so the enrolment after the upgrade only recreates the trigger.
 */
public final class UpgradeReadiness {
    /** The first major whose pg_upgrade keeps logical replication slots instead of refusing them. */
    public static final int KEEPS_LOGICAL_SLOTS_FROM = 17;
    static final String STATEMENT_TIMEOUT = "30s";

    /** A logical replication slot as pg_replication_slots reports it. */
    public record LogicalSlot(String name, String plugin, boolean active, String database) {
    }

    /**
     * @param major the server's major version (server_version_num / 10000)
     * @param logicalSlots every logical slot of the server, of every database
     * @param ownTriggers our event trigger(s) in the connected database (at most one)
     * @param otherTriggers the event triggers of the connected database that are not ours, by name
     */
    public record Facts(int major, List<LogicalSlot> logicalSlots, List<String> ownTriggers,
                        List<String> otherTriggers) {
        public Facts {
            logicalSlots = List.copyOf(logicalSlots);
            ownTriggers = List.copyOf(ownTriggers);
            otherTriggers = List.copyOf(otherTriggers);
        }
    }

    private static final String OURS = "e.evtname = '" + EventTriggerSql.TRIGGER + "' AND n.nspname = '"
            + EventTriggerSql.SCHEMA + "'";

    private UpgradeReadiness() {
    }

    /** Reads the facts in one READ ONLY transaction, waiting at most the policy's lock_timeout for a lock. */
    public static Facts read(ConnectionSource connections, LockPolicy policy) {
        try (Connection connection = connections.openAdmin()) {
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET TRANSACTION READ ONLY");
                    statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeoutSetting() + "'");
                    statement.execute("SET LOCAL statement_timeout = '" + STATEMENT_TIMEOUT + "'");
                }
                Sql.On on = Sql.on(connection, "reading what blocks a major version upgrade");
                int major = on.queryOne("SELECT pg_catalog.current_setting('server_version_num')::int / 10000",
                        row -> row.getInt(1));
                List<LogicalSlot> slots = on.query("""
                        SELECT slot_name, plugin, active, database FROM pg_catalog.pg_replication_slots
                        WHERE slot_type = 'logical' ORDER BY database, slot_name""",
                        row -> new LogicalSlot(row.getString(1), row.getString(2), row.getBoolean(3),
                                row.getString(4)));
                String triggers = """
                        SELECT e.evtname FROM pg_catalog.pg_event_trigger e
                        JOIN pg_catalog.pg_proc p ON p.oid = e.evtfoid
                        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                        WHERE %s ORDER BY e.evtname""";
                List<String> own = on.query(triggers.formatted(OURS), row -> row.getString(1));
                List<String> other = on.query(triggers.formatted("NOT (" + OURS + ")"), row -> row.getString(1));
                connection.commit();
                return new Facts(major, slots, own, other);
            } catch (RuntimeException e) {
                Sql.rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading what blocks a major version upgrade", e);
        }
    }

    /** How long dropping our trigger waits for a provisioning run holding the engine's advisory lock. */
    static final java.time.Duration LOCK_WAIT = java.time.Duration.ofSeconds(60);

    /**
     * Drops our event trigger (only ours: it is found by its name and its function's schema) under the policy's
     * lock_timeout; false when there was none, so a re-run changes nothing. In the same transaction our schema gets
     * the {@link UpgradeHold} for {@code targetMajor}, so no provisioning before the upgrade brings the trigger back.
     * The application's event triggers, our function and its configuration are left alone.
     */
    public static boolean dropOwnEventTrigger(ConnectionSource connections, LockPolicy policy, int targetMajor) {
        try (Connection connection = connections.openAdmin()) {
            // the engine's advisory lock: a provisioning run that planned before the hold cannot recreate the trigger
            // (a minute at most, well within the PrepareUpgrade function's timeout)
            DatabaseGuard.lockForChanges(connection, LOCK_WAIT);
            connection.setAutoCommit(false);
            try {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeoutSetting() + "'");
                    statement.execute("SET LOCAL statement_timeout = '" + STATEMENT_TIMEOUT + "'");
                }
                Sql.On on = Sql.on(connection, "dropping event trigger " + EventTriggerSql.TRIGGER);
                boolean present = on.queryOne("""
                        SELECT true FROM pg_catalog.pg_event_trigger e
                        JOIN pg_catalog.pg_proc p ON p.oid = e.evtfoid
                        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                        WHERE %s""".formatted(OURS), row -> row.getBoolean(1)) != null;
                try (Statement statement = connection.createStatement()) {
                    if (present) {
                        statement.execute("DROP EVENT TRIGGER " + Identifiers.quote(EventTriggerSql.TRIGGER));
                    }
                    // the hold (UpgradeHold): no enrolment or reconciliation brings the trigger back before the upgrade
                    if (new Catalog(connection).schemaExists(EventTriggerSql.SCHEMA)) {
                        statement.execute("COMMENT ON SCHEMA " + Identifiers.quote(EventTriggerSql.SCHEMA) + " IS '"
                                + UpgradeHold.marker(targetMajor).replace("'", "''") + "'");
                    }
                }
                connection.commit();
                return present;
            } catch (SQLException | RuntimeException e) {
                Sql.rollbackQuietly(connection);
                throw e;
            }
        } catch (SQLException e) {
            if (Sql.LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new LockTimeoutException("event trigger " + EventTriggerSql.TRIGGER + " stayed locked for "
                        + "longer than lock_timeout " + policy.lockTimeoutSetting() + "; nothing was dropped: run "
                        + "again when the DDL holding it is done", List.of(), e);
            }
            throw new DatabaseException("dropping event trigger " + EventTriggerSql.TRIGGER, e);
        }
    }
}
