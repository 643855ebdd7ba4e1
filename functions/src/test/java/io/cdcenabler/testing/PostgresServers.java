package io.cdcenabler.testing;

import io.cdcenabler.embedded.EmbeddedPostgresLauncher;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL per tested major for the whole test run (started on first use, stopped at JVM exit), and a
 * fresh database per test. Logins other than the superuser authenticate with SCRAM, as on RDS, so tests see whether
 * passwords really work.
 */
public final class PostgresServers {
    private static final Map<String, RunningPostgres> SERVERS = new ConcurrentHashMap<>();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private PostgresServers() {
    }

    /** The versions the suite runs on: 13 (the oldest RDS offers), 17 and 18 (generated columns change FULL). */
    public static List<String> versions() {
        return EmbeddedPostgresLauncher.testedVersions();
    }

    /** The newest version of the matrix, for tests that run on one version only. */
    public static String newest() {
        List<String> versions = versions();
        return versions.get(versions.size() - 1);
    }

    public static synchronized RunningPostgres server(String version) {
        return SERVERS.computeIfAbsent(version, v -> {
            RunningPostgres server = EmbeddedPostgresLauncher.builder()
                    .binariesJar(EmbeddedPostgresLauncher.binariesJarForVersion(v))
                    .start();
            requireScramForOthers(server);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            return server;
        });
    }

    /** A new empty database on the shared server of that version. */
    public static TestDatabase freshDatabase(String version) {
        RunningPostgres server = server(version);
        String name = "t" + DATABASES.incrementAndGet();
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return new TestDatabase(server, name);
    }

    /** Rewrites pg_hba.conf: the superuser is trusted, every other login needs its SCRAM password. */
    public static void requireScramForOthers(RunningPostgres server) {
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("""
                    DO $$
                    BEGIN
                      EXECUTE format('COPY (SELECT unnest(ARRAY[%L, %L, %L, %L, %L])) TO %L',
                        'local all postgres trust',
                        'host all postgres 127.0.0.1/32 trust',
                        'host all postgres ::1/128 trust',
                        'host all all 127.0.0.1/32 scram-sha-256',
                        'host all all ::1/128 scram-sha-256',
                        current_setting('hba_file'));
                    END
                    $$""");
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot configure pg_hba.conf", e);
        }
    }
}
