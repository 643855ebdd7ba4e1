package io.cdcenabler.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application role (no superuser, owner of its tables) clones its database with pg_dump and pg_restore, before
 * and after provisioning (issue 8, failure 8). The commands are the README's, run as a shell runs them. A full dump
 * always holds the event trigger (pg_dump dumps objects outside any schema whenever no {@code -n}/{@code -t} is
 * given; {@code -N} does not change that), and only a superuser (on RDS, rds_superuser) may create one, so the
 * README's restore leaves the event triggers' entries out with {@code pg_restore -l} / {@code -L}.
 *
 * <p>It runs on the PostgreSQL 13 server of the matrix: the machine's pg_dump is Debian's 15, which dumps servers
 * up to 15. Without /usr/bin/pg_dump and /usr/bin/pg_restore it is skipped.
 */
class DumpRestoreTest {
    private static final Path PG_DUMP = Path.of("/usr/bin/pg_dump");
    private static final Path PG_RESTORE = Path.of("/usr/bin/pg_restore");
    private static final String APP = "app_owner";
    private static final String APP_PASSWORD = "app-Passw0rd";

    /** The application's usual clone, which worked before provisioning. */
    static final String NAIVE_DUMP = "pg_dump -Fc -N cdc_enabler -f app.dump";
    static final String NAIVE_RESTORE = "pg_restore --no-owner --no-acl --no-publications --exit-on-error -d clone "
            + "app.dump";
    /** The README's clone of a provisioned database: the same, without the event triggers' entries. */
    static final String LIST = "pg_restore -l app.dump | grep -v ' EVENT TRIGGER - ' > app.list";
    static final String DOCUMENTED_RESTORE = "pg_restore -L app.list --no-owner --no-acl --no-publications "
            + "--exit-on-error -d clone app.dump";

    @TempDir
    Path directory;

    private static String version;
    private TestDatabase db;

    @BeforeAll
    static void requireTheClientTools() {
        assumeTrue(Files.isExecutable(PG_DUMP) && Files.isExecutable(PG_RESTORE),
                "skipped: " + PG_DUMP + " and " + PG_RESTORE + " are needed (Debian's postgresql-client)");
        version = PostgresServers.versions().stream().filter(v -> v.startsWith("13.")).findFirst()
                .orElseThrow(() -> new AssertionError("the test matrix " + PostgresServers.versions()
                        + " holds no PostgreSQL 13"));
    }

    @BeforeEach
    void applicationDatabase() {
        db = PostgresServers.freshDatabase(version);
        db.sql("SET password_encryption = 'scram-sha-256'",
                "DO $$ BEGIN CREATE ROLE " + APP + " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                "ALTER ROLE " + APP + " PASSWORD '" + APP_PASSWORD + "'");
        db.sqlAs(APP,
                "CREATE TABLE public.orders (id int PRIMARY KEY, note text)",
                "CREATE TABLE public.log (at timestamptz DEFAULT now(), line text)",
                "INSERT INTO public.orders VALUES (1, 'first'), (2, 'second')",
                "INSERT INTO public.log (line) VALUES ('hello')");
    }

    @Test
    void naiveClone_beforeProvisioning_works() {
        Shell.Result dump = shell(NAIVE_DUMP);
        createClone();
        Shell.Result restore = shell(NAIVE_RESTORE);

        assertThat(dump.exitCode()).as(dump.output()).isZero();
        assertThat(restore.exitCode()).as(restore.output()).isZero();
        assertThat(cloneRows("SELECT count(*) FROM public.orders")).isEqualTo("2");
    }

    @Test
    void naiveClone_afterProvisioning_failsOnTheEventTriggerEvenWithoutOurSchema() {
        provision();

        Shell.Result dump = shell(NAIVE_DUMP);
        createClone();
        Shell.Result restore = shell(NAIVE_RESTORE);

        assertThat(dump.exitCode()).as(dump.output()).isZero();
        assertThat(restore.exitCode()).isNotZero();
        assertThat(restore.output()).contains("permission denied to create event trigger")
                .contains("cdc_enabler_keep_replica_identity_full");
    }

    @Test
    void documentedClone_afterProvisioning_restoresEveryTableAndItsRowsAndTheCloneAcceptsWrites() {
        provision();

        Shell.Result dump = shell(NAIVE_DUMP);
        Shell.Result list = shell(LIST);
        createClone();
        Shell.Result restore = shell(DOCUMENTED_RESTORE);

        assertThat(dump.exitCode()).as(dump.output()).isZero();
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(restore.exitCode()).as(restore.output()).isZero();
        assertThat(cloneRows("SELECT string_agg(id || ':' || note, ',' ORDER BY id) FROM public.orders"))
                .isEqualTo("1:first,2:second");
        assertThat(cloneRows("SELECT count(*) FROM public.log")).isEqualTo("1");
        assertThat(cloneRows("SELECT count(*) FROM pg_event_trigger")).isEqualTo("0");
        assertThat(cloneRows("SELECT count(*) FROM pg_namespace WHERE nspname = 'cdc_enabler'")).isEqualTo("0");
        assertThat(cloneRows("SELECT relreplident FROM pg_class WHERE oid = 'public.log'::regclass")).isEqualTo("f");
        asApplicationInClone("UPDATE public.log SET line = 'changed'", "DELETE FROM public.orders WHERE id = 1",
                "CREATE TABLE public.later (v text)", "INSERT INTO public.later VALUES ('x')");
        assertThat(cloneRows("SELECT count(*) FROM public.orders")).isEqualTo("1");
    }

    @Test
    void documentedRestore_ofADumpWithOurSchema_alsoWorksAndLeavesOnlyAnUnusedFunction() {
        provision();

        Shell.Result dump = shell(NAIVE_DUMP.replace(" -N cdc_enabler", ""));
        Shell.Result list = shell(LIST);
        createClone();
        Shell.Result restore = shell(DOCUMENTED_RESTORE);

        assertThat(dump.exitCode()).as(dump.output()).isZero();
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(restore.exitCode()).as(restore.output()).isZero();
        assertThat(cloneRows("SELECT count(*) FROM pg_event_trigger")).isEqualTo("0");
        assertThat(cloneRows("SELECT pg_get_userbyid(p.proowner) FROM pg_proc p "
                + "WHERE p.pronamespace = 'cdc_enabler'::regnamespace")).isEqualTo(APP);
        asApplicationInClone("CREATE TABLE public.later (v text)", "INSERT INTO public.later VALUES ('x')",
                "UPDATE public.orders SET note = 'changed'");
    }

    @Test
    void readme_showsTheDocumentedCommands() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);

        assertThat(readme).contains(NAIVE_DUMP, LIST, DOCUMENTED_RESTORE);
    }

    private void provision() {
        new Provisioner(db.asSuperuser()).provision(ProvisioningSpec.builder().cdcUser("cdc_" + db.name())
                .cdcPassword(Secret.of("cdc-Passw0rd")).build());
        assertThat(db.value("SELECT count(*) FROM pg_event_trigger")).isEqualTo("1");
    }

    private void createClone() {
        db.sql("CREATE DATABASE " + cloneName() + " OWNER " + APP);
    }

    private String cloneName() {
        return db.name() + "_clone";
    }

    private String cloneRows(String query) {
        return new TestDatabase(db.server(), cloneName()).value(query);
    }

    private void asApplicationInClone(String... statements) {
        try (Connection connection = new TestDatabase(db.server(), cloneName()).connect(APP, APP_PASSWORD);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new AssertionError("the application's SQL failed in the clone: " + e.getMessage(), e);
        }
    }

    /** Runs a README command line in bash, as the application role (libpq environment; the password never in it). */
    private Shell.Result shell(String commandLine) {
        String command = commandLine.replace("-d clone", "-d " + cloneName());
        return Shell.run(directory, command, Map.of(
                "PGHOST", "127.0.0.1",
                "PGPORT", Integer.toString(db.server().port()),
                "PGUSER", APP,
                "PGPASSWORD", APP_PASSWORD,
                "PGDATABASE", db.name()));
    }

    /** bash -c in a directory with extra environment variables; output is stdout and stderr together. */
    static final class Shell {
        record Result(int exitCode, String output) {
        }

        static Result run(Path directory, String command, Map<String, String> environment) {
            ProcessBuilder builder = new ProcessBuilder(List.of("bash", "-o", "pipefail", "-c", command))
                    .directory(directory.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            try {
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("timed out: " + command);
                }
                return new Result(process.exitValue(), output);
            } catch (IOException e) {
                throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted: " + command, e);
            }
        }
    }
}
