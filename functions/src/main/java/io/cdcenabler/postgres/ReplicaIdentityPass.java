package io.cdcenabler.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

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
        List<Change> changes = new ArrayList<>();
        if (tables.isEmpty()) {
            return changes;
        }
        String phase = "REPLICA IDENTITY " + target;
        List<TableName> deferred = new ArrayList<>();
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                int done = 0;
                for (int from = 0; from < tables.size(); from += policy.batchSize()) {
                    List<TableName> batch = tables.subList(from, Math.min(tables.size(), from + policy.batchSize()));
                    try {
                        runBatch(connection, batch, target);
                        batch.forEach(table -> changes.add(change(target, table)));
                    } catch (SQLException batchError) {
                        Sql.rollbackQuietly(connection);
                        if (!retriable(batchError)) {
                            throw failure(batchError, batch, target);
                        }
                        for (TableName table : batch) {
                            if (!runOne(connection, table, target, changes)) {
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
                    List<TableName> stillLocked = new ArrayList<>();
                    for (TableName table : deferred) {
                        if (!runOne(connection, table, target, changes)) {
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
            List<String> names = deferred.stream().map(TableName::toString).toList();
            throw new LockTimeoutException("could not set REPLICA IDENTITY " + target + " on " + names.size()
                    + " table(s) held locked by other sessions through " + policy.maxAttempts() + " attempt(s) of "
                    + policy.lockTimeout().toMillis() + " ms each: " + Provisioner.abbreviate(deferred)
                    + ". Everything else was done (" + changes.size() + " table(s) changed); run again when the "
                    + "long-running transactions on these tables have ended (see pg_stat_activity, pg_locks).",
                    names, lastLockError);
        }
        return changes;
    }

    /**
     * Changes one table in its own transaction. Returns false when it stayed locked (to retry later); a table
     * dropped meanwhile counts as done.
     */
    private boolean runOne(Connection connection, TableName table, ReplicaIdentity target, List<Change> changes) {
        try {
            runBatch(connection, List.of(table), target);
            changes.add(change(target, table));
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
            throw failure(e, List.of(table), target);
        }
    }

    private void runBatch(Connection connection, List<TableName> batch, ReplicaIdentity target) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeoutSetting() + "'");
            for (TableName table : batch) {
                statement.addBatch(target.alterStatement(table));
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

    private static CdcEnablerException failure(SQLException e, List<TableName> tables, ReplicaIdentity target) {
        SQLException cause = e.getNextException() != null ? e.getNextException() : e;
        String which = tables.size() == 1 ? "table " + tables.get(0) : tables.size() + " tables";
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

    private static Change change(ReplicaIdentity target, TableName table) {
        return new Change("set REPLICA IDENTITY " + target + " on", table.toString());
    }
}
