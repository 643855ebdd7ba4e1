package io.cdcenabler.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Connections from a PostgreSQL JDBC URL and an admin login. Extra driver properties (TLS) apply to every login.
 * Every connection has bounded waits by default, so a server that accepts TCP and never answers fails the run
 * instead of hanging it: the TCP connect, the whole login, and any read on an open connection, plus TCP
 * keep-alive for a peer that vanished; properties given by the caller (or in the URL) take precedence.
 */
public final class JdbcConnectionSource implements ConnectionSource {
    /**
     * pgjdbc's properties, in seconds: {@code connectTimeout} bounds the TCP connect, {@code loginTimeout} the
     * connect, TLS handshake and authentication together, {@code socketTimeout} any one read once connected. The read
     * timeout is well above what one of our statements takes (each lock wait is bounded by lock_timeout, a batch of
     * ALTERs by the batch size; creating the temporary slot in verify waits for running transactions).
     */
    public static final Map<String, String> TIMEOUTS = Map.of(
            "connectTimeout", "10",
            "loginTimeout", "15",
            "socketTimeout", "600",
            "tcpKeepAlive", "true");

    private final String url;
    private final String adminUser;
    private final Secret adminPassword;
    private final Properties driverProperties;

    public JdbcConnectionSource(String url, String adminUser, Secret adminPassword, Properties driverProperties) {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new InvalidSpecException("JDBC URL must start with jdbc:postgresql:, was "
                    + (url == null ? "null" : redact(url)));
        }
        if (url.contains("password=")) {
            throw new InvalidSpecException("JDBC URL must not carry a password (it would show in process lists and "
                    + "logs); pass it from an environment variable or standard input");
        }
        if (url.matches("(?i).*[?&]user=.*")) {
            throw new InvalidSpecException("JDBC URL must not carry user= (the driver would let it override every "
                    + "login, including the CDC user's); pass the admin user separately");
        }
        this.url = url;
        this.adminUser = Identifiers.require("admin user", adminUser);
        this.adminPassword = adminPassword;
        this.driverProperties = new Properties();
        if (driverProperties != null) {
            this.driverProperties.putAll(driverProperties);
        }
        this.driverProperties.putIfAbsent("ApplicationName", "cdc-enabler");
        TIMEOUTS.forEach(this.driverProperties::putIfAbsent);
    }

    public static JdbcConnectionSource of(String url, String adminUser, Secret adminPassword) {
        return new JdbcConnectionSource(url, adminUser, adminPassword, new Properties());
    }

    @Override
    public Connection openAdmin() {
        return open(adminUser, adminPassword);
    }

    @Override
    public Connection openAs(String user, Secret password) {
        return open(user, password);
    }

    @Override
    public String describe() {
        return redact(url) + " as " + adminUser;
    }

    public String url() {
        return url;
    }

    /** A copy of the driver properties in effect (no credentials are kept in them). */
    public Properties driverProperties() {
        Properties copy = new Properties();
        copy.putAll(driverProperties);
        return copy;
    }

    private Connection open(String user, Secret password) {
        Properties properties = driverProperties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password.revealAsString());
        }
        try {
            return DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            throw new ConnectionFailedException("cannot connect to " + redact(url) + " as " + user + ": "
                    + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    private static String redact(String text) {
        return text.replaceAll("(?i)(password=)[^&]*", "$1****");
    }
}
