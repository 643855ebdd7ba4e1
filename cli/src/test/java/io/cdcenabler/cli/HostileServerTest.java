package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Servers that cannot be provisioned fail fast with a message that says why, changing nothing. */
class HostileServerTest {
    private static final String VERSION = PostgresServers.newest();

    @TempDir
    Path tempDir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"plan", "provision", "verify"})
    void serverThatAcceptsButNeverAnswers_failsWithinTheLoginTimeout(String command) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/app";

            CliRunner.Result result = assertTimeoutPreemptively(Duration.ofSeconds(45), () -> CliRunner.run(
                    command, "--jdbc-url", url, "--user", "postgres", "--credentials", "MASTER"));

            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).contains("cannot connect to " + url);
            assertThat(accepted).isNotEmpty();
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }

    @Test
    void readOnlyDatabase_planAndProvisionFailBeforeAnyChange_namingWhy() {
        TestDatabase db = PostgresServers.freshDatabase(VERSION);
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY)",
                "ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");
        String cdcUser = "ro_" + db.name();

        CliRunner.Result plan = CliRunner.run("plan", "--jdbc-url", db.url(), "--user", "postgres",
                "--cdc-user", cdcUser, "--cdc-password-file", tempDir.resolve("pw").toString());
        CliRunner.Result provision = CliRunner.run("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--cdc-user", cdcUser, "--cdc-password-file", tempDir.resolve("pw").toString());

        assertThat(plan.exitCode()).isEqualTo(1);
        assertThat(plan.err()).contains("read-only").contains("Nothing was changed");
        assertThat(provision.exitCode()).isEqualTo(1);
        assertThat(provision.err()).contains("read-only").doesNotContain("cannot execute");
        assertThat(db.value("SELECT count(*) FROM pg_roles WHERE rolname = '" + cdcUser + "'")).isEqualTo("0");
        assertThat(db.replicaIdentity("public.orders")).isEqualTo("d");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--cdc-user", "--publication"})
    void nameWithANewline_isRefusedNamingTheField(String option) {
        TestDatabase db = PostgresServers.freshDatabase(VERSION);

        CliRunner.Result result = CliRunner.run("plan", "--jdbc-url", db.url(), "--user", "postgres",
                option, "cdc\nreader");

        assertThat(result.exitCode()).isNotZero();
        String field = option.equals("--cdc-user") ? "cdcUser" : "publication";
        assertThat(result.err()).contains(field + " must not contain a control character")
                .contains("U+000A").contains("cdc\\u000areader");
    }
}
