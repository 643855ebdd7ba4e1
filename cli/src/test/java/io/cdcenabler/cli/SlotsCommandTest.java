package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code cdc-enabler slots}: the table, --json, and exit 0 / 1 (a FAIL threshold crossed) / 2 (bad thresholds). */
class SlotsCommandTest {
    TestDatabase db;
    String slot;

    @BeforeEach
    void databaseWithAnAbandonedSlot() {
        db = PostgresServers.freshDatabase(PostgresServers.versions().get(0));
        slot = "cli_" + db.name();
        db.sql("CREATE TABLE public.events (id bigint PRIMARY KEY, payload text)");
    }

    @AfterEach
    void dropSlot() {
        db.sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                + slot + "'");
    }

    @Test
    void noSlot_exitsZero() {
        CliRunner.Result result = slots();

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("No replication slot retains WAL for this database.");
    }

    @Test
    void slotBelowFail_json_reportsWarnAndExitsZero() throws Exception {
        abandonSlotBehind(3_000_000);

        CliRunner.Result result = slots("--warn", "1MB", "--fail", "1GB", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode document = new ObjectMapper().readTree(result.out());
        assertThat(document.get("ok").asBoolean()).isTrue();
        assertThat(document.get("status").asText()).isEqualTo("WARN");
        assertThat(document.get("thresholds").get("warnBytes").asLong()).isEqualTo(1L << 20);
        JsonNode found = document.get("slots").get(0);
        assertThat(found.get("name").asText()).isEqualTo(slot);
        assertThat(found.get("plugin").asText()).isEqualTo("pgoutput");
        assertThat(found.get("active").asBoolean()).isFalse();
        assertThat(found.get("retainedBytes").asLong()).isGreaterThan(1L << 20);
        assertThat(found.get("status").asText()).isEqualTo("WARN");
        assertThat(found.get("message").asText()).contains("resume its consumer");
        assertThat(found.get("publication").asText()).contains("publication unknown");
    }

    @Test
    void slotPastFail_exitsOne_withTheTable() {
        abandonSlotBehind(3_000_000);

        CliRunner.Result result = slots("--warn", "1%", "--fail", "2%", "--allocated-storage", "100MB");

        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(1);
        assertThat(result.out()).contains("SLOT", "RETAINED", slot, "pgoutput", "FAIL slot " + slot,
                "(FAIL at 2.0 MB)", "re-snapshot", "Thresholds: warn 1%, fail 2% of 100.0 MB allocated");
    }

    @Test
    void badThresholds_exitTwo_beforeConnecting() {
        CliRunner.Result share = CliRunner.run("slots", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none",
                "--user", "postgres", "--warn", "10%");
        CliRunner.Result order = CliRunner.run("slots", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/none",
                "--user", "postgres", "--warn", "2GB", "--fail", "1GB");

        assertThat(share.exitCode()).isEqualTo(2);
        assertThat(share.err()).contains("the WARN threshold is a share (10%) and needs the allocated storage");
        assertThat(order.exitCode()).isEqualTo(2);
        assertThat(order.err()).contains("must not exceed the FAIL threshold");
    }

    @Test
    void verify_withSlotFailThreshold_isNotReady() {
        abandonSlotBehind(3_000_000);

        CliRunner.Result result = CliRunner.run("verify", "--jdbc-url", db.url(), "--user", "postgres",
                "--credentials", "MASTER", "--slot-warn", "1MB", "--slot-fail", "2MB");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("FAIL replication slot " + slot + ": slot " + slot);
    }

    private void abandonSlotBehind(int bytes) {
        db.sql("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')",
                "INSERT INTO public.events SELECT g, repeat('x', 200) FROM generate_series(1, " + bytes / 200 + ") g");
    }

    private CliRunner.Result slots(String... options) {
        String[] args = new String[options.length + 5];
        args[0] = "slots";
        args[1] = "--jdbc-url";
        args[2] = db.url();
        args[3] = "--user";
        args[4] = "postgres";
        System.arraycopy(options, 0, args, 5, options.length);
        return CliRunner.run(args);
    }
}
