package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CDC role's password is stored where its user reads it before the role gets it, and a crash never loses it. */
class CdcPasswordDurabilityTest {
    private static final String VERSION = PostgresServers.newest();

    TestDatabase db;
    String cdcUser;

    @TempDir
    Path tempDir;

    @BeforeEach
    void freshDatabase() {
        db = PostgresServers.freshDatabase(VERSION);
        cdcUser = "dur_" + db.name();
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)");
    }

    @Test
    void resetPassword_whenTheFileCannotBeWritten_failsNamingThePath_andTheWorkingPasswordStays() throws Exception {
        Path working = tempDir.resolve("working.password");
        assertThat(provision("--cdc-password-file", working.toString()).exitCode()).isZero();
        Path notAFolder = Files.writeString(tempDir.resolve("a-file"), "x");
        Path unwritable = notAFolder.resolve("cdc.password");

        CliRunner.Result reset = provision("--reset-cdc-password", "--cdc-password-file", unwritable.toString());

        assertThat(reset.exitCode()).isNotZero();
        assertThat(reset.err()).contains("cannot write the CDC password file " + unwritable)
                .contains("Nothing was changed").doesNotContain("UncheckedIOException");
        assertThat(db.canLogIn(cdcUser, Files.readString(working).strip())).isTrue();
    }

    @Test
    void firstRun_whenTheFileCannotBeWritten_createsNoRoleAndNoPublication() throws Exception {
        Path unwritable = Files.writeString(tempDir.resolve("a-file"), "x").resolve("cdc.password");

        CliRunner.Result result = provision("--cdc-password-file", unwritable.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains(unwritable.toString());
        assertThat(db.value("SELECT count(*) FROM pg_roles WHERE rolname = '" + cdcUser + "'")).isEqualTo("0");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    @Test
    void resetPassword_writesTheFileMode600_andTheRoleLogsInWithIt() throws Exception {
        assertThat(provision("--cdc-password-file", tempDir.resolve("first").toString()).exitCode()).isZero();
        Path second = tempDir.resolve("second");

        CliRunner.Result reset = provision("--reset-cdc-password", "--cdc-password-file", second.toString());

        assertThat(reset.exitCode()).as(reset.err()).isZero();
        assertThat(Files.getPosixFilePermissions(second)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(db.canLogIn(cdcUser, Files.readString(second).strip())).isTrue();
        assertThat(db.canLogIn(cdcUser, Files.readString(tempDir.resolve("first")).strip())).isFalse();
        try (var leftovers = Files.list(tempDir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"cdcPasswordStored", "provisioned"})
    void killedBetweenSteps_thePlainRerunConverges_onThePasswordInTheFile(String checkpoint) throws Exception {
        Path file = tempDir.resolve("cdc.password");

        int killed = runAndCrashAt(checkpoint, "--cdc-password-file", file.toString());
        CliRunner.Result rerun = provision("--cdc-password-file", file.toString());

        assertThat(killed).isEqualTo(CrashingCli.KILLED);
        assertThat(file).exists();
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(db.canLogIn(cdcUser, Files.readString(file).strip())).isTrue();
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("1");
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"cdcPasswordStored", "provisioned"})
    void resetKilledBetweenSteps_thePlainRerunGivesTheRoleThePasswordInTheFile(String checkpoint) throws Exception {
        assertThat(provision("--cdc-password-file", tempDir.resolve("old").toString()).exitCode()).isZero();
        Path file = tempDir.resolve("new");

        int killed = runAndCrashAt(checkpoint, "--reset-cdc-password", "--cdc-password-file", file.toString());
        CliRunner.Result rerun = provision("--cdc-password-file", file.toString());

        assertThat(killed).isEqualTo(CrashingCli.KILLED);
        assertThat(rerun.exitCode()).as(rerun.err()).isZero();
        assertThat(db.canLogIn(cdcUser, Files.readString(file).strip())).isTrue();
    }

    private CliRunner.Result provision(String... extra) {
        List<String> args = new ArrayList<>(List.of("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--cdc-user", cdcUser));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    private int runAndCrashAt(String checkpoint, String... extra) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingCli.class.getName(), checkpoint,
                "provision", "--jdbc-url", db.url(), "--user", "postgres", "--cdc-user", cdcUser));
        command.addAll(List.of(extra));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tempDir.resolve("child-" + checkpoint + ".log").toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the child ended within 60 s").isTrue();
        return process.exitValue();
    }
}
