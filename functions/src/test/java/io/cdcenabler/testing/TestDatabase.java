package io.cdcenabler.testing;

import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import io.cdcenabler.postgres.ConnectionSource;
import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** A database of its own for one test, with helpers to run SQL as the superuser or as any role. */
public record TestDatabase(RunningPostgres server, String name) {

    /** The database's JDBC URL without a user, so every login is the one the caller names. */
    public String url() {
        return server.jdbcUrl(name);
    }

    public int major() {
        return server.majorVersion();
    }

    /** Connections as the superuser (trusted, no password). */
    public ConnectionSource asSuperuser() {
        return JdbcConnectionSource.of(url(), "postgres", null);
    }

    /** Connections as another admin login, e.g. an RDS-shaped master. */
    public ConnectionSource as(String user, String password) {
        return JdbcConnectionSource.of(url(), user, Secret.of(password));
    }

    public Connection connect() {
        return connect("postgres", null);
    }

    public Connection connect(String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        try {
            return DriverManager.getConnection(url(), properties);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect as " + user + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code user} logs in to this database with {@code password}. */
    public boolean canLogIn(String user, String password) {
        try {
            connect(user, password).close();
            return true;
        } catch (IllegalStateException | SQLException e) {
            return false;
        }
    }

    /** Runs statements as the superuser, each in its own transaction. */
    public void sql(String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Runs statements as a role (SET ROLE from the superuser), each in its own transaction. */
    public void sqlAs(String role, String... statements) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE \"" + role.replace("\"", "\"\"") + "\"");
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The rows of a query as the superuser, each row's columns joined with '|'. */
    public List<String> rows(String query) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            List<String> result = new ArrayList<>();
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(rows.getString(i));
                }
                result.add(row.toString());
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public String value(String query) {
        List<String> rows = rows(query);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** The replica identity code (f, d, n, i) of a table given as SQL text, e.g. {@code public.orders}. */
    public String replicaIdentity(String table) {
        return value("SELECT relreplident FROM pg_class WHERE oid = '" + table.replace("'", "''") + "'::regclass");
    }
}
