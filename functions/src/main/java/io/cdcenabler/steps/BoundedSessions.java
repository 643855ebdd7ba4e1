package io.cdcenabler.steps;

import io.cdcenabler.postgres.ConnectionSource;
import io.cdcenabler.postgres.DatabaseException;
import io.cdcenabler.postgres.Secret;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * Connections whose sessions wait at most {@code lockTimeout} for a lock and {@code statementTimeout} for a
 * statement, so a read-only check never queues behind (or in front of) the application's DDL for long.
 */
final class BoundedSessions implements ConnectionSource {
    private final ConnectionSource delegate;
    private final Duration lockTimeout;
    private final Duration statementTimeout;

    BoundedSessions(ConnectionSource delegate, Duration lockTimeout, Duration statementTimeout) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.lockTimeout = Objects.requireNonNull(lockTimeout, "lockTimeout");
        this.statementTimeout = Objects.requireNonNull(statementTimeout, "statementTimeout");
    }

    @Override
    public Connection openAdmin() {
        return bounded(delegate.openAdmin());
    }

    @Override
    public Connection openAs(String user, Secret password) {
        return bounded(delegate.openAs(user, password));
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    private Connection bounded(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = '" + lockTimeout.toMillis() + "ms'");
            statement.execute("SET statement_timeout = '" + statementTimeout.toMillis() + "ms'");
            return connection;
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new DatabaseException("bounding the session's lock_timeout and statement_timeout on "
                    + delegate.describe(), e);
        }
    }
}
