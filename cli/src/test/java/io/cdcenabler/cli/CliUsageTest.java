package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad usage exits 2 as the README says, and an existing role we did not create is refused before any change. */
class CliUsageTest {
    private static final String VERSION = PostgresServers.newest();

    TestDatabase db;

    @TempDir
    Path tempDir;

    @BeforeEach
    void freshDatabase() {
        db = PostgresServers.freshDatabase(VERSION);
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY)");
    }

    @Test
    void optionsThatCannotGoTogether_orLackACompanion_exitTwoNamingTheOption() {
        Path file = tempDir.resolve("pw");
        assertUsage(run("provision", "--cdc-password-env", "X", "--cdc-password-file", file.toString()),
                "--cdc-password-env and --cdc-password-file");
        assertUsage(run("provision", "--credentials", "MASTER", "--cdc-password-file", file.toString()),
                "apply only to --credentials READ_ONLY_USER");
        assertUsage(run("plan", "--mode", "SELECTED_TABLES"), "--mode SELECTED_TABLES needs at least one --table");
        assertUsage(run("verify", "--table", "public.orders"), "--table applies to --mode SELECTED_TABLES");
        assertUsage(run("provision", "--cdc-user", "new_" + db.name()), "does not exist yet and needs a password");
        assertUsage(run("provision", "--cdc-password-env", "UNSET_VARIABLE"), "UNSET_VARIABLE is not set");
        assertUsage(run("provision", "--cdc-user", "new_" + db.name(), "--reset-cdc-password"),
                "--reset-cdc-password needs --cdc-password-file");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    @Test
    void resetPasswordOfAnExistingSuperuser_isRefusedBeforeTheFileIsWritten_andTheRoleIsUntouched() {
        String dba = "dba_" + db.name();
        db.sql("SET password_encryption = 'scram-sha-256'", "CREATE ROLE " + dba + " LOGIN SUPERUSER PASSWORD 'dba'");
        Path file = tempDir.resolve("dba.password");

        CliRunner.Result result = run("provision", "--cdc-user", dba, "--reset-cdc-password",
                "--cdc-password-file", file.toString());

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("did not create").contains("SUPERUSER").contains("--adopt-existing-role");
        assertThat(Files.exists(file)).isFalse();
        assertThat(db.value("SELECT rolsuper FROM pg_roles WHERE rolname = '" + dba + "'")).isEqualTo("t");
        try (var login = db.connect(dba, "dba")) {
            assertThat(login).isNotNull();
        } catch (Exception e) {
            throw new AssertionError("the DBA's password was changed", e);
        }
    }

    private CliRunner.Result run(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "--jdbc-url", db.url(), "--user", "postgres"));
        args.addAll(List.of(extra));
        return CliRunner.run(Map.of(), "", args.toArray(String[]::new));
    }

    private static void assertUsage(CliRunner.Result result, String message) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(message);
    }
}
