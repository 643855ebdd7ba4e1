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
    private final Sleeper sleeper;
    private SQLException lastLockError;

    /** Pauses between retry rounds; a seam so tests need not sleep. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    ReplicaIdentityPass(LockPolicy policy, ProgressListener progress) {
        this(policy, progress, Thread::sleep);
    }

    ReplicaIdentityPass(LockPolicy policy, ProgressListener progress, Sleeper sleeper) {
        this.policy = policy;
        this.progress = progress;
        this.sleeper = sleeper;
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
        String phase = "REPLICA IDENTITY " + target;
        List<IdentityChange> deferred = new ArrayList<>();
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
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
                        for (IdentityChange table : batch) {
                            if (!runOne(connection, table, changes)) {
                                deferred.add(table);
                            }
                        }
                    }
                    done += batch.size();
                    progress.progress(phase, done, tables.size());
                }
                long backoff = policy.initialBackoff().toMillis();
                for (int attempt = 2; attempt <= policy.maxAttempts() && !deferred.isEmpty(); attempt++) {
                    sleep(backoff);
                    backoff *= 2;
                    List<IdentityChange> stillLocked = new ArrayList<>();
                    for (IdentityChange table : deferred) {
                        if (!runOne(connection, table, changes)) {
                            stillLocked.add(table);
                        }
                    }
                    deferred = stillLocked;
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("setting REPLICA IDENTITY " + target, e);
        }
        if (!deferred.isEmpty()) {
            List<TableName> locked = deferred.stream().map(IdentityChange::table).toList();
            List<String> names = locked.stream().map(TableName::toString).toList();
            String done = changes.isEmpty() ? "No other table was changed"
                    : "The other " + changes.size() + " table(s) were changed ("
                    + Provisioner.abbreviate(tables.stream().map(IdentityChange::table)
                    .filter(t -> !locked.contains(t)).toList()) + ")";
            throw new LockTimeoutException("could not set REPLICA IDENTITY " + target + " on " + names.size()
                    + " table(s) held locked by other sessions through " + policy.maxAttempts() + " attempt(s) of "
                    + policy.lockTimeout().toMillis() + " ms each: " + Provisioner.abbreviate(locked)
                    + ". " + done + "; run again when the "
                    + "long-running transactions on these tables have ended (see pg_stat_activity, pg_locks).",
                    names, lastLockError);
        }
        return changes;
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

    private void sleep(long millis) {
        try {
            sleeper.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdcEnablerException("interrupted while waiting to retry locked tables", e);
        }
    }
}
