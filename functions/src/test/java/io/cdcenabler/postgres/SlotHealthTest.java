package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.postgres.VerificationReport.Check;
import io.cdcenabler.postgres.VerificationReport.Status;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * Slot health on real servers: an abandoned slot's retained WAL grows across WARN and FAIL, a slot invalidated by
 * max_slot_wal_keep_size fails verify with "re-snapshot", and a consumer that streams and confirms stays PASS.
 * The servers are shared by every test class: settings changed here are reset and slots dropped in finally blocks.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class SlotHealthTest {
    private static final long MB = 1L << 20;
    private static final String PUBLICATION = "bemi";

    @Parameter
    String version;

    TestDatabase db;
    String slot;

    @BeforeEach
    void freshDatabase() {
        db = PostgresServers.freshDatabase(version);
        slot = "health_" + db.name();
        db.sql("CREATE TABLE public.events (id bigint PRIMARY KEY, payload text)");
    }

    @AfterEach
    void dropSlot() throws InterruptedException {
        String active = "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "' AND active";
        for (int i = 0; i < 100 && !"0".equals(db.value(active)); i++) {
            Thread.sleep(100);
        }
        db.sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                + slot + "'");
    }

    @Test
    void inactiveSlot_whileWalIsWritten_retainsMoreAndCrossesWarnThenFail() {
        db.sql("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        SlotThresholds thresholds = SlotThresholds.parse("4MB", "12MB", OptionalLong.empty());
        List<SlotReport> seen = new ArrayList<>();
        seen.add(ours(thresholds));

        for (int batch = 0; batch < 60 && seen.get(seen.size() - 1).verdict().status() != Status.FAIL; batch++) {
            writeWal(batch, 4_000);
            seen.add(ours(thresholds));
        }

        List<Long> retained = seen.stream().map(report -> report.wal().retainedBytes()).toList();
        assertThat(retained).isSorted();
        assertThat(retained.get(retained.size() - 1)).isGreaterThan(retained.get(0) + 12 * MB - 1);
        assertThat(seen).extracting(report -> report.verdict().status()).startsWith(Status.PASS)
                .contains(Status.WARN).endsWith(Status.FAIL);
        SlotReport last = seen.get(seen.size() - 1);
        assertThat(last.verdict().message()).contains("slot " + slot, "FAIL at 12.0 MB", "resume its consumer",
                "pg_drop_replication_slot('" + slot + "')", "re-snapshot");
        assertThat(last.activity().active()).isFalse();
        if (db.major() >= 17) {
            assertThat(last.activity().inactiveSince()).isPresent();
            assertThat(last.verdict().message()).contains("inactive since 20");
        } else {
            assertThat(last.activity().inactiveSince()).isEmpty();
            assertThat(last.verdict().message()).contains("since when is unknown");
        }
        assertThat(last.publicationNote(PUBLICATION)).contains("pgoutput; publication unknown");
    }

    @Test
    void slotPastMaxSlotWalKeepSize_becomesLost_andVerifySaysReSnapshot() {
        ProvisioningSpec spec = ProvisioningSpec.builder().credentialsMode(CredentialsMode.MASTER).build();
        new Provisioner(db.asSuperuser()).provision(spec);
        db.sql("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        try {
            db.sql("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'", "SELECT pg_reload_conf()");
            for (int batch = 0; batch < 4; batch++) {
                writeWal(batch, 2_000);
                db.sql("SELECT pg_switch_wal()");
            }
            db.sql("CHECKPOINT");

            VerificationReport report = new Verifier(db.asSuperuser()).verify(spec);

            assertThat(db.value("SELECT wal_status FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                    .isEqualTo("lost");
            Check check = report.check(SlotHealth.CHECK_PREFIX + slot);
            assertThat(check.status()).isEqualTo(Status.FAIL);
            assertThat(check.detail()).contains("invalidated", "wal_status lost", "cannot resume", "re-snapshot");
            if (db.major() >= 17) {
                assertThat(check.detail()).contains("reason wal_removed");
            }
            assertThat(report.ready()).isFalse();
            assertThat(report.failures()).extracting(Check::name).containsExactly(SlotHealth.CHECK_PREFIX + slot);
        } finally {
            db.sql("ALTER SYSTEM RESET max_slot_wal_keep_size", "SELECT pg_reload_conf()");
        }
    }

    @Test
    void activeConsumerThatConfirms_staysPass_andIsNamed() throws Exception {
        db.sql("CREATE PUBLICATION " + PUBLICATION + " FOR TABLE public.events",
                "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
        SlotThresholds thresholds = SlotThresholds.parse("8MB", "1GB", OptionalLong.empty());
        try (Connection replication = replicationConnection();
             PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                     .replicationStream().logical().withSlotName(slot)
                     .withSlotOption("proto_version", "1").withSlotOption("publication_names", PUBLICATION)
                     .withStatusInterval(1, TimeUnit.SECONDS).start()) {
            writeWal(0, 60_000);
            SlotReport behind = ours(thresholds);

            SlotReport caughtUp = consumeUntilCaughtUp(stream, thresholds);

            assertThat(behind.wal().retainedBytes()).isGreaterThan(8 * MB);
            assertThat(caughtUp.verdict().status()).as(caughtUp.verdict().message()).isEqualTo(Status.PASS);
            assertThat(caughtUp.wal().retainedBytes()).isLessThan(8 * MB);
            assertThat(caughtUp.activity().active()).isTrue();
            assertThat(caughtUp.activity().consumer()).isNotNull();
            assertThat(caughtUp.verdict().message()).contains("slot " + slot + " (active, pid ");
            assertThat(caughtUp.publicationNote(PUBLICATION)).isEqualTo("uses publication " + PUBLICATION);
            assertThat(caughtUp.publicationNote("other")).contains("reads publication(s) bemi, not other");
        }
    }

    @Test
    void physicalSlotsCount_butLogicalSlotsOfOtherDatabasesDoNot() {
        TestDatabase other = PostgresServers.freshDatabase(version);
        String physical = "phys_" + db.name();
        String elsewhere = "other_" + other.name();
        try {
            db.sql("SELECT pg_create_physical_replication_slot('" + physical + "', true)");
            other.sql("SELECT pg_create_logical_replication_slot('" + elsewhere + "', 'pgoutput')");

            List<SlotReport> reports;
            try (Connection connection = db.connect()) {
                reports = SlotHealth.inspect(connection, LockPolicy.DEFAULT, SlotThresholds.DEFAULT);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }

            assertThat(reports).extracting(report -> report.identity().name()).contains(physical)
                    .doesNotContain(elsewhere);
            SlotReport found = reports.stream().filter(r -> r.identity().name().equals(physical)).findFirst()
                    .orElseThrow();
            assertThat(found.identity().type()).isEqualTo("physical");
            assertThat(found.wal().retainedBytes()).isNotNull();
            assertThat(found.publicationNote(PUBLICATION)).contains("retains WAL for the whole server");
        } finally {
            db.sql("SELECT pg_drop_replication_slot('" + physical + "')");
            other.sql("SELECT pg_drop_replication_slot('" + elsewhere + "')");
        }
    }

    @Test
    void databaseWithoutSlots_passesWithOneCheck() {
        ProvisioningSpec spec = ProvisioningSpec.builder().credentialsMode(CredentialsMode.MASTER).build();
        new Provisioner(db.asSuperuser()).provision(spec);

        VerificationReport report = new Verifier(db.asSuperuser()).verify(spec);

        assertThat(report.check(SlotHealth.NONE).status()).isEqualTo(Status.PASS);
        assertThat(report.ready()).as(report.failures().toString()).isTrue();
    }

    /** Reads what the server sends and confirms it, with checkpoints so restart_lsn can move, for up to 60 s. */
    private SlotReport consumeUntilCaughtUp(PGReplicationStream stream, SlotThresholds thresholds)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int round = 0;
        SlotReport report = ours(thresholds);
        while (System.nanoTime() < deadline) {
            ByteBuffer message;
            while ((message = stream.readPending()) != null) {
                message.clear();
            }
            LogSequenceNumber received = stream.getLastReceiveLSN();
            stream.setAppliedLSN(received);
            stream.setFlushedLSN(received);
            stream.forceUpdateStatus();
            report = ours(thresholds);
            if (report.wal().retainedBytes() < 8 * MB && report.activity().active()) {
                return report;
            }
            db.sql("CHECKPOINT", "INSERT INTO public.events VALUES (" + (1_000_000 + round++) + ", 'tick')");
            Thread.sleep(200);
        }
        return report;
    }

    private Connection replicationConnection() throws SQLException {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, "postgres");
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        return DriverManager.getConnection(db.url(), properties);
    }

    /** About 100 bytes of WAL per row beyond the 200-byte payload. */
    private void writeWal(int batch, int rows) {
        long first = (long) batch * rows + 1;
        db.sql("INSERT INTO public.events SELECT g, repeat('x', 200) FROM generate_series(" + first + ", "
                + (first + rows - 1) + ") g");
    }

    private SlotReport ours(SlotThresholds thresholds) {
        try (Connection connection = db.connect()) {
            return SlotHealth.inspect(connection, LockPolicy.DEFAULT, thresholds).stream()
                    .filter(report -> report.identity().name().equals(slot)).findFirst().orElseThrow();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
