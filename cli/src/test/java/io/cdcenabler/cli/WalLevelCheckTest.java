package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.embedded.EmbeddedPostgresLauncher;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A server whose wal_level is replica, as an RDS instance before rds.logical_replication and its reboot. */
class WalLevelCheckTest {
    static RunningPostgres server;

    @BeforeAll
    static void start() {
        server = EmbeddedPostgresLauncher.builder().serverConfig("wal_level", "replica").start();
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE public.orders (id int PRIMARY KEY, status text)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void provision_whenWalLevelIsNotLogical_failsNamingItAndChangesNothing() throws SQLException {
        CliRunner.Result result = CliRunner.run("provision", "--jdbc-url", server.jdbcUrl("postgres"),
                "--user", "postgres", "--credentials", "MASTER");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("wal_level is replica, not logical").contains("rds.logical_replication=1")
                .contains("Nothing was changed");
        assertThat(scalar("SELECT relreplident FROM pg_class WHERE oid = 'public.orders'::regclass")).isEqualTo("d");
        assertThat(scalar("SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    @Test
    void verify_whenWalLevelIsNotLogical_reportsItAndSkipsTheSlot() {
        CliRunner.Result result = CliRunner.run("verify", "--jdbc-url", server.jdbcUrl("postgres"),
                "--user", "postgres", "--credentials", "MASTER");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL wal_level: replica, must be logical")
                .contains("SKIP logical slot as cdc user: needs wal_level=logical");
    }

    @Test
    void plan_whenWalLevelIsNotLogical_stillPrintsThePlan() {
        CliRunner.Result result = CliRunner.run("plan", "--jdbc-url", server.jdbcUrl("postgres"),
                "--user", "postgres", "--credentials", "MASTER");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("CREATE PUBLICATION \"bemi\" FOR (ALL TABLES|TABLES IN SCHEMA)");
    }

    private static String scalar(String query) throws SQLException {
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
