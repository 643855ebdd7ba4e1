package io.cdcenabler.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import io.cdcenabler.postgres.IdentityPolicy.IdentityChange;

/**
 * Sets the replica identity of many tables without endangering production: every ALTER waits at most the lock
 * timeout, each batch commits (so at most {@code batchSize} AccessExclusiveLocks are held, and only for the
 * milliseconds a catalog-only ALTER takes), and tables that stay locked are retried in rounds with exponential
 * backoff. Tables that are still locked after the last round are named in a {@link LockTimeoutException}, after all
 * other tables were done.
 */
final class ReplicaIdentityPass {
    private final LockPolicy policy;
    private final ProgressListener progress;
    private SQLException lastLockError;

    ReplicaIdentityPass(LockPolicy policy, ProgressListener progress) {
        this.policy = policy;
        this.progress = progress;
    }

    /** Sets {@code target} on every table; returns the changes made. The connection's auto-commit is restored. */
    List<Change> run(Connection connection, List<TableName> tables, ReplicaIdentity target) {
        return run(connection, tables.stream().map(t -> new IdentityChange(t, target.name())).toList());
    }

    /** Sets each table's identity; returns the changes made. The connection's auto-commit is restored. */
    List<Change> run(Connection connection, List<IdentityChange> tables) {
        List<Change> changes = new ArrayList<>();
        if (tables.isEmpty()) {
            return changes;
        }
        String target = tables.stream().map(IdentityChange::identity).distinct().count() == 1
                ? tables.get(0).identity() : "(per table)";
        List<IdentityChange> deferred = new ArrayList<>();
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                LockRetry.run(policy, attempt -> {
                    List<IdentityChange> locked = attempt == 1 ? inBatches(connection, tables, target, changes)
                            : oneByOne(connection, deferred, changes);
                    deferred.clear();
                    deferred.addAll(locked);
                    return deferred.isEmpty();
                });
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("setting REPLICA IDENTITY " + target, e);
        }
        if (!deferred.isEmpty()) {
            throw stillLocked(tables, deferred, target, changes);
        }
        return changes;
    }

    /** The first round: batches of {@code batchSize}, a failing batch table by table; returns the tables locked. */
    private List<IdentityChange> inBatches(Connection connection, List<IdentityChange> tables, String target,
                                           List<Change> changes) {
        List<IdentityChange> deferred = new ArrayList<>();
        int done = 0;
        for (int from = 0; from < tables.size(); from += policy.batchSize()) {
            List<IdentityChange> batch = tables.subList(from, Math.min(tables.size(), from + policy.batchSize()));
            try {
                runBatch(connection, batch);
                batch.forEach(table -> changes.add(table.change()));
            } catch (SQLException batchError) {
                Sql.rollbackQuietly(connection);
                if (!retriable(batchError)) {
                    throw failure(batchError, batch, target);
                }
                deferred.addAll(oneByOne(connection, batch, changes));
            }
            done += batch.size();
            progress.progress("REPLICA IDENTITY " + target, done, tables.size());
        }
        return deferred;
    }

    /** Each table in its own transaction; returns those that stayed locked. */
    private List<IdentityChange> oneByOne(Connection connection, List<IdentityChange> tables, List<Change> changes) {
        List<IdentityChange> locked = new ArrayList<>();
        for (IdentityChange table : List.copyOf(tables)) {
            if (!runOne(connection, table, changes)) {
                locked.add(table);
            }
        }
        return locked;
    }

    private LockTimeoutException stillLocked(List<IdentityChange> tables, List<IdentityChange> deferred,
                                             String target, List<Change> changes) {
        List<TableName> locked = deferred.stream().map(IdentityChange::table).toList();
        List<String> names = locked.stream().map(TableName::toString).toList();
        String done = changes.isEmpty() ? "No other table was changed"
                : "The other " + changes.size() + " table(s) were changed ("
                + Provisioner.abbreviate(tables.stream().map(IdentityChange::table)
                .filter(t -> !locked.contains(t)).toList()) + ")";
        return new LockTimeoutException("could not set REPLICA IDENTITY " + target + " on " + names.size()
                + " table(s) held locked by other sessions through " + policy.maxAttempts() + " attempt(s) of "
                + policy.lockTimeout().toMillis() + " ms each: " + Provisioner.abbreviate(locked)
                + ". " + done + "; run again when the "
                + "long-running transactions on these tables have ended (see pg_stat_activity, pg_locks).",
                names, lastLockError);
    }

    /**
     * Changes one table in its own transaction. Returns false when it stayed locked (to retry later); a table
     * dropped meanwhile counts as done.
     */
    private boolean runOne(Connection connection, IdentityChange table, List<Change> changes) {
        try {
            runBatch(connection, List.of(table));
            changes.add(table.change());
            return true;
        } catch (SQLException e) {
            Sql.rollbackQuietly(connection);
            if (Sql.isLockConflict(e)) {
                lastLockError = e;
                return false;
            }
            if (Sql.UNDEFINED_TABLE.equals(e.getSQLState())) {
                return true;
            }
            throw failure(e, List.of(table), table.identity());
        }
    }

    private void runBatch(Connection connection, List<IdentityChange> batch) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeoutSetting() + "'");
            for (IdentityChange table : batch) {
                statement.addBatch(table.alterStatement());
            }
            statement.executeBatch();
        }
        connection.commit();
    }

    private static boolean retriable(SQLException e) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        return Sql.isLockConflict(e) || Sql.isLockConflict(cause)
                || Sql.UNDEFINED_TABLE.equals(e.getSQLState()) || Sql.UNDEFINED_TABLE.equals(cause.getSQLState());
    }

    private static CdcEnablerException failure(SQLException e, List<IdentityChange> tables, String target) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        String which = tables.size() == 1 ? "table " + tables.get(0).table() : tables.size() + " tables";
        if (Sql.INSUFFICIENT_PRIVILEGE.equals(cause.getSQLState())) {
            return new MissingPrivilegeException("setting REPLICA IDENTITY " + target + " on " + which
                    + " needs ownership of the table: " + cause.getMessage(), e);
        }
        return new DatabaseException("setting REPLICA IDENTITY " + target + " on " + which, cause);
    }
}
