package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Step.GrantSelectStep;
import io.cdcenabler.postgres.Step.PasswordStep;
import io.cdcenabler.postgres.Step.SqlStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs setup steps in one transaction under the lock timeout: {@link #rehearse} rolls back, so a missing privilege
 * shows before anything changes; {@link #commit} commits. Lock timeouts are retried through {@link LockRetry}; the
 * transaction makes a retry safe. Each GRANT SELECT after the first commits on its own (on 18 a GRANT locks each
 * table: one chunk per transaction keeps the lock table small); a rehearsal runs the first only, as the admin's grant
 * option on every table was checked when planning.
 */
final class SetupTransaction {
    private static final Logger LOG = LoggerFactory.getLogger(SetupTransaction.class);
    private static final int MAX_DROP_RACES = 10;
    private static final int MAX_DROPPED_TABLES = 1000;

    private final EngineContext context;
    private final List<Step> steps;
    private final boolean commit;
    private int committed;
    private int races;
    private Step current;
    private SQLException lockError;

    private SetupTransaction(EngineContext context, List<Step> steps, boolean commit) {
        this.context = context;
        this.steps = steps;
        this.commit = commit;
    }

    /** Runs the steps and rolls back: changes nothing, but fails as the commit would for a missing privilege. */
    static void rehearse(EngineContext context, List<Step> steps) {
        new SetupTransaction(context, steps, false).run();
    }

    /** Runs the steps and commits them. */
    static void commit(EngineContext context, List<Step> steps) {
        new SetupTransaction(context, steps, true).run();
    }

    private void run() {
        if (steps.isEmpty()) {
            return;
        }
        LockPolicy policy = context.lockPolicy();
        try {
            if (!LockRetry.run(policy, this::attempt)) {
                throw new LockTimeoutException(doing() + ": a table stayed locked by another session through "
                        + policy.maxAttempts() + " attempts of " + policy.lockTimeout().toMillis() + " ms; nothing "
                        + "of the setup was committed. Run again when long transactions have ended.",
                        List.of(doing()), lockError);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * One attempt; false when a lock timed out. A table the application dropped while CREATE PUBLICATION ... IN
     * SCHEMA enumerated the schema committed nothing: the transaction runs again, not counted as an attempt.
     */
    private boolean attempt(int attempt) throws SQLException {
        while (true) {
            try {
                runOnce();
                return true;
            } catch (SQLException e) {
                if (Sql.isConcurrentDropRace(e) && races++ < MAX_DROP_RACES) {
                    LOG.info("{\"event\":\"tableDroppedMeanwhile\",\"step\":\"{}\"}", Provisioner.jsonText(doing()));
                    continue;
                }
                if (!Sql.isLockConflict(e)) {
                    throw e;
                }
                lockError = e;
                if (attempt < context.lockPolicy().maxAttempts()) {
                    LOG.info("{\"event\":\"lockTimeout\",\"step\":\"{}\",\"attempt\":{}}",
                            Provisioner.jsonText(doing()), attempt);
                }
                return false;
            }
        }
    }

    private void runOnce() throws SQLException {
        current = null;
        Connection connection = context.connection();
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            setLockTimeout(statement);
            boolean granted = false;
            for (int index = committed; index < steps.size(); index++) {
                current = steps.get(index);
                if (current instanceof GrantSelectStep grant) {
                    if (granted && !commit) {
                        continue;
                    }
                    if (granted) {
                        connection.commit();
                        committed = index;
                        setLockTimeout(statement);
                    }
                    granted = true;
                    grantSkippingDropped(statement, grant);
                } else {
                    execute(statement, current);
                }
            }
            finish(connection);
        } catch (SQLException e) {
            Sql.rollbackQuietly(connection);
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private void finish(Connection connection) throws SQLException {
        if (commit) {
            connection.commit();
        } else {
            connection.rollback();
        }
    }

    private void setLockTimeout(Statement statement) throws SQLException {
        statement.execute("SET LOCAL lock_timeout = '" + context.lockPolicy().lockTimeoutSetting() + "'");
    }

    private void execute(Statement statement, Step step) throws SQLException {
        if (step instanceof SqlStep sqlStep) {
            statement.execute(sqlStep.sql());
        } else if (step instanceof PasswordStep passwordStep) {
            char[] password = passwordStep.password().reveal();
            try {
                context.connection().unwrap(PGConnection.class)
                        .alterUserPassword(passwordStep.role(), password, "scram-sha-256");
            } finally {
                java.util.Arrays.fill(password, '\0');
            }
        }
    }

    /**
     * Runs a GRANT under a savepoint; a table the application dropped since planning is taken out of the list and
     * the GRANT runs again (a dropped table needs no privilege).
     */
    private void grantSkippingDropped(Statement statement, GrantSelectStep grant) throws SQLException {
        Connection connection = context.connection();
        GrantSelectStep remaining = grant;
        for (int dropped = 0; !remaining.tables().isEmpty(); dropped++) {
            Savepoint savepoint = connection.setSavepoint();
            try {
                statement.execute(remaining.displaySql());
                connection.releaseSavepoint(savepoint);
                return;
            } catch (SQLException e) {
                connection.rollback(savepoint);
                Optional<GrantSelectStep> without = Sql.UNDEFINED_TABLE.equals(e.getSQLState())
                        && dropped < MAX_DROPPED_TABLES ? remaining.without(e.getMessage()) : Optional.empty();
                remaining = without.orElseThrow(() -> e);
            }
        }
    }

    private String doing() {
        return current == null ? "starting the setup transaction" : current.change().toString();
    }

    private CdcEnablerException failure(SQLException e) {
        String hint = current instanceof SqlStep sqlStep ? sqlStep.privilegeHint()
                : current instanceof GrantSelectStep ? GrantSelectStep.PRIVILEGE_HINT : null;
        if (Sql.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState()) && hint != null) {
            String reason = e.getMessage().replaceFirst("^ERROR: ", "").replaceFirst("\\.?$", "");
            return new MissingPrivilegeException("cannot " + current.change().imperative() + " as "
                    + adminName() + ": " + reason + ". This needs " + hint + ". Nothing was changed"
                    + (commit ? " by the setup transaction." : "."), e);
        }
        return new DatabaseException(doing(), e);
    }

    private String adminName() {
        try {
            return context.connection().getMetaData().getUserName();
        } catch (SQLException e) {
            return "the admin";
        }
    }
}
