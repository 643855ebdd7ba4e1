package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdcEnablerCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = PostgresServers.newest();

    TestDatabase db;
    String cdcUser;

    @TempDir
    Path tempDir;

    @BeforeEach
    void freshDatabase() {
        db = PostgresServers.freshDatabase(VERSION);
        cdcUser = "cli_" + db.name();
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.events (payload text)");
    }

    @Test
    void provision_json_thenRerun_reportsZeroChanges() throws Exception {
        Path passwordFile = tempDir.resolve("cdc-password");

        CliRunner.Result first = CliRunner.run("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--cdc-user", cdcUser, "--cdc-password-file", passwordFile.toString(), "--json");
        CliRunner.Result second = CliRunner.run("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--cdc-user", cdcUser, "--cdc-password-file", passwordFile.toString(), "--json");

        assertThat(first.exitCode()).as(first.err()).isZero();
        JsonNode firstJson = JSON.readTree(first.out());
        assertThat(firstJson.get("ok").asBoolean()).isTrue();
        assertThat(firstJson.get("changed").asInt()).isGreaterThan(5);
        String password = Files.readString(passwordFile).strip();
        assertThat(password).hasSize(32);
        assertThat(Files.getPosixFilePermissions(passwordFile))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(first.out() + first.err()).doesNotContain(password);
        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(JSON.readTree(second.out()).get("changed").asInt()).isZero();
        assertThat(db.connect(cdcUser, password)).isNotNull();
        assertThat(db.replicaIdentity("public.events")).isEqualTo("f");
    }

    @Test
    void verify_withPasswordFromEnvironment_isReadyAndExitsZero() {
        CliRunner.Result provision = CliRunner.run(Map.of("CDC_PW", "pw-" + cdcUser), "", "provision",
                "--jdbc-url", db.url(), "--user", "postgres", "--cdc-user", cdcUser, "--cdc-password-env", "CDC_PW");

        CliRunner.Result verify = CliRunner.run(Map.of("CDC_PW", "pw-" + cdcUser), "", "verify",
                "--jdbc-url", db.url(), "--user", "postgres", "--cdc-user", cdcUser, "--cdc-password-env", "CDC_PW");

        assertThat(provision.exitCode()).as(provision.err()).isZero();
        assertThat(provision.out()).contains("created publication bemi");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains("PASS logical slot as cdc user").contains("Ready for CDC.");
    }

    @Test
    void verify_beforeProvisioning_failsWithExitOne() {
        CliRunner.Result verify = CliRunner.run("verify", "--jdbc-url", db.url(), "--user", "postgres",
                "--credentials", "MASTER");

        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.out()).contains("FAIL publication").contains("NOT ready");
    }

    @Test
    void plan_printsStatementsAndChangesNothing() {
        CliRunner.Result plan = CliRunner.run("plan", "--jdbc-url", db.url(), "--user", "postgres",
                "--credentials", "MASTER");

        assertThat(plan.exitCode()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("ALTER TABLE \"public\".\"events\" REPLICA IDENTITY FULL;")
                .contains("CREATE PUBLICATION \"bemi\" FOR " + (db.major() >= 15 ? "TABLES IN SCHEMA \"public\""
                        : "ALL TABLES"));
        assertThat(db.replicaIdentity("public.events")).isEqualTo("d");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    @Test
    void trackAndUntrack_selectedTables() {
        CliRunner.Result provision = CliRunner.run("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--mode", "selected_tables", "--table", "public.orders", "--credentials", "MASTER");

        CliRunner.Result track = CliRunner.run("track", "--jdbc-url", db.url(), "--user", "postgres",
                "--table", "public.events", "--json");
        CliRunner.Result untrack = CliRunner.run("untrack", "--jdbc-url", db.url(), "--user", "postgres",
                "--table", "public.orders");

        assertThat(provision.exitCode()).as(provision.err()).isZero();
        assertThat(track.exitCode()).as(track.err()).isZero();
        assertThat(untrack.exitCode()).as(untrack.err()).isZero();
        assertThat(db.rows("SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = 'bemi'"))
                .containsExactly("public.events");
        assertThat(db.replicaIdentity("public.events")).isEqualTo("f");
        assertThat(db.replicaIdentity("public.orders")).isEqualTo("d");
    }

    @Test
    void unknownSchema_failsNamingIt_andChangesNothing() {
        CliRunner.Result result = CliRunner.run("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--credentials", "MASTER", "--schema", "public,nope");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("nope").contains("do not exist");
        assertThat(db.replicaIdentity("public.events")).isEqualTo("d");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    @Test
    void unknownTable_json_failsNamingIt() throws Exception {
        CliRunner.Result result = CliRunner.run("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--credentials", "MASTER", "--mode", "SELECTED_TABLES", "--table", "public.missing", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode json = JSON.readTree(result.out());
        assertThat(json.get("ok").asBoolean()).isFalse();
        assertThat(json.get("error").asText()).isEqualTo("UnknownObjectException");
        assertThat(json.get("message").asText()).contains("public.missing does not exist");
    }

    @Test
    void invalidNames_areRejectedBeforeConnecting() {
        CliRunner.Result longName = CliRunner.run("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--publication", "p".repeat(64), "--credentials", "MASTER");
        CliRunner.Result badTable = CliRunner.run("track", "--jdbc-url", db.url(), "--user", "postgres",
                "--table", "a.b.c");
        CliRunner.Result badMode = CliRunner.run("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--mode", "SOME_TABLES");

        assertThat(longName.exitCode()).isEqualTo(1);
        assertThat(longName.err()).contains("publication is 64 bytes long");
        assertThat(badTable.exitCode()).isEqualTo(1);
        assertThat(badTable.err()).contains("a.b.c has 3 dot-separated parts");
        assertThat(badMode.exitCode()).isEqualTo(2);
        assertThat(badMode.err()).contains("SOME_TABLES");
    }

    @Test
    void newCdcUser_withoutPasswordSource_isRefusedAndNothingChanges() {
        CliRunner.Result result = CliRunner.run("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--cdc-user", cdcUser);

        assertThat(result.exitCode()).as("bad usage").isEqualTo(2);
        assertThat(result.err()).contains("does not exist yet and needs a password");
        assertThat(db.value("SELECT count(*) FROM pg_roles WHERE rolname = '" + cdcUser + "'")).isEqualTo("0");
    }

    @Test
    void unreachableServer_failsWithConnectionMessage() {
        CliRunner.Result result = CliRunner.run("provision", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/x",
                "--user", "postgres", "--credentials", "MASTER");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("cannot connect to jdbc:postgresql://127.0.0.1:1/x as postgres");
    }

    @Test
    void passwordInUrl_isRefused() {
        CliRunner.Result result = CliRunner.run("plan", "--jdbc-url", db.url() + "?password=hunter2",
                "--user", "postgres");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("must not carry a password").doesNotContain("hunter2");
    }

    @Test
    void adminPassword_fromStdin_isUsed() {
        String admin = "adm_" + db.name();
        db.sql("CREATE ROLE " + admin + " LOGIN SUPERUSER PASSWORD 'from-stdin'");

        CliRunner.Result result = CliRunner.run(Map.of(), "from-stdin\n", "plan", "--jdbc-url", db.url(),
                "--user", admin, "--password-stdin", "--credentials", "MASTER");
        CliRunner.Result wrong = CliRunner.run(Map.of(), "wrong\n", "plan", "--jdbc-url", db.url(),
                "--user", admin, "--password-stdin", "--credentials", "MASTER");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("password authentication failed").doesNotContain("wrong");
    }

    @Test
    void teardown_removesWhatProvisionInstalled() {
        CliRunner.run("provision", "--jdbc-url", db.url(), "--user", "postgres", "--credentials", "MASTER");

        CliRunner.Result teardown = CliRunner.run("teardown", "--jdbc-url", db.url(), "--user", "postgres",
                "--reset-replica-identity");

        assertThat(teardown.exitCode()).as(teardown.err()).isZero();
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
        assertThat(db.value("SELECT count(*) FROM pg_event_trigger")).isEqualTo("0");
        assertThat(db.replicaIdentity("public.events")).isEqualTo("d");
    }

    @Test
    void benchmark_withBadTableCount_failsNamingIt() {
        CliRunner.Result result = CliRunner.run("benchmark", "--tables", "0");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("tableCounts must be between 1 and");
    }

    @Test
    void help_listsEverySubcommand() {
        CliRunner.Result help = CliRunner.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("provision", "plan", "verify", "track", "untrack", "teardown", "demo");
    }
}
