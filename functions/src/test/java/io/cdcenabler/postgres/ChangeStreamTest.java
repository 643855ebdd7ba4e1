package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.postgres.decoding.ColumnValue;
import io.cdcenabler.postgres.decoding.PgOutputDecoder;
import io.cdcenabler.postgres.decoding.RowChange;
import io.cdcenabler.postgres.decoding.RowChange.Kind;
import io.cdcenabler.postgres.decoding.RowChange.OldImage;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a CDC tool actually receives: logical decoding read as the CDC user, through its publication, shows the
 * complete old row for every UPDATE and DELETE on tracked tables, including tables that appear after provisioning.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class ChangeStreamTest {
    private static final String PUBLICATION = "bemi";
    private static final String CDC_PASSWORD = "cdc-Pa55word";
    private static final String APP_PASSWORD = "app-Pa55word";

    @Parameter
    String version;

    TestDatabase db;
    String cdcUser;
    String appRole;
    String slot;
    final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void freshDatabase() {
        db = PostgresServers.freshDatabase(version);
        cdcUser = "cdc_" + db.name();
        appRole = "app_" + db.name();
        slot = "stream_" + db.name();
        db.sql("SET password_encryption = 'scram-sha-256'",
                "CREATE ROLE " + appRole + " LOGIN PASSWORD '" + APP_PASSWORD + "'",
                "GRANT USAGE, CREATE ON SCHEMA public TO " + appRole);
    }

    @AfterEach
    void closeConnectionsAndDropSlot() throws SQLException {
        for (Connection connection : connections) {
            connection.close();
        }
        db.sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
                + slot + "'");
    }

    @Test
    void updateAndDelete_onTableThatExistedBeforeProvisioning_carryCompleteOldRow() {
        app("CREATE TABLE public.orders (id int PRIMARY KEY, status text, note text)",
                "INSERT INTO public.orders VALUES (1, 'new', 'first'), (2, 'new', NULL)");
        Connection cdc = provisionAllTablesAndOpenSlot(false);

        app("UPDATE public.orders SET status = 'paid' WHERE id = 1",
                "DELETE FROM public.orders WHERE id = 2");

        List<RowChange> changes = read(cdc);
        assertThat(changes).extracting(RowChange::render).containsExactly(
                "UPDATE public.orders old={id=1, status='new', note='first'} new={id=1, status='paid', note='first'}",
                "DELETE public.orders old={id=2, status='new', note=null}");
        assertCompleteOldRows(changes);
    }

    @Test
    void updateAndDelete_onTableCreatedLaterByNonSuperuserAppRole_carryCompleteOldRow() {
        Connection cdc = provisionAllTablesAndOpenSlot(false);

        app("CREATE TABLE public.app_items (id int, name text, qty int)",
                "INSERT INTO public.app_items VALUES (1, 'apple', 3), (2, 'pear', 5)",
                "UPDATE public.app_items SET qty = 4 WHERE id = 1",
                "DELETE FROM public.app_items WHERE id = 2");

        assertThat(db.value("SELECT rolsuper FROM pg_roles WHERE rolname = '" + appRole + "'")).isEqualTo("f");
        assertThat(db.value("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.app_items'::regclass"))
                .isEqualTo(appRole);
        List<RowChange> changes = updatesAndDeletes(read(cdc));
        assertThat(changes).extracting(RowChange::render).containsExactly(
                "UPDATE public.app_items old={id=1, name='apple', qty=3} new={id=1, name='apple', qty=4}",
                "DELETE public.app_items old={id=2, name='pear', qty=5}");
        assertCompleteOldRows(changes);
        assertThat(countAs(cdc, "public.app_items")).isEqualTo(1);
    }

    @Test
    void updateAndDelete_onTablesMadeByCreateTableAsAndSelectInto_carryCompleteOldRow() {
        app("CREATE TABLE public.source (id int PRIMARY KEY, label text)",
                "INSERT INTO public.source VALUES (1, 'one'), (2, 'two')");
        Connection cdc = provisionAllTablesAndOpenSlot(false);

        app("CREATE TABLE public.copied AS SELECT id, label FROM public.source",
                "SELECT id, label INTO public.selected FROM public.source",
                "UPDATE public.copied SET label = 'uno' WHERE id = 1",
                "DELETE FROM public.copied WHERE id = 2",
                "UPDATE public.selected SET label = 'eins' WHERE id = 1",
                "DELETE FROM public.selected WHERE id = 2");

        List<RowChange> changes = updatesAndDeletes(read(cdc));
        assertThat(changes).extracting(RowChange::render).containsExactly(
                "UPDATE public.copied old={id=1, label='one'} new={id=1, label='uno'}",
                "DELETE public.copied old={id=2, label='two'}",
                "UPDATE public.selected old={id=1, label='one'} new={id=1, label='eins'}",
                "DELETE public.selected old={id=2, label='two'}");
        assertCompleteOldRows(changes);
    }

    @Test
    void updateAndDelete_onPartitionsOfExistingAndNewPartitionedTables_carryCompleteOldRowUnderPartitionName() {
        db.sql("CREATE SCHEMA staging",
                "GRANT USAGE, CREATE ON SCHEMA staging TO " + appRole,
"CREATE TABLE public.readings (id int, region text, value int) PARTITION BY LIST (region)",
                "CREATE TABLE public.readings_eu PARTITION OF public.readings FOR VALUES IN ('eu')",
                "ALTER TABLE public.readings OWNER TO " + appRole,
                "ALTER TABLE public.readings_eu OWNER TO " + appRole);
        Connection cdc = provisionAllTablesAndOpenSlot(false);

        app("CREATE TABLE public.readings_us PARTITION OF public.readings FOR VALUES IN ('us')",
                "CREATE TABLE public.metrics (id int, region text, value int) PARTITION BY LIST (region)",
                "CREATE TABLE public.metrics_eu PARTITION OF public.metrics FOR VALUES IN ('eu')",
                "CREATE TABLE staging.metrics_us (id int, region text, value int)",
                "ALTER TABLE public.metrics ATTACH PARTITION staging.metrics_us FOR VALUES IN ('us')",
                "INSERT INTO public.readings VALUES (1, 'eu', 10), (2, 'us', 20)",
                "INSERT INTO public.metrics VALUES (3, 'eu', 30), (4, 'us', 40)",
                "UPDATE public.readings SET value = value + 1",
                "DELETE FROM public.readings",
                "UPDATE public.metrics SET value = value + 1",
                "DELETE FROM public.metrics");

        List<RowChange> changes = updatesAndDeletes(read(cdc));
        assertThat(changes).extracting(RowChange::render).containsExactly(
                "UPDATE public.readings_eu old={id=1, region='eu', value=10} new={id=1, region='eu', value=11}",
                "UPDATE public.readings_us old={id=2, region='us', value=20} new={id=2, region='us', value=21}",
                "DELETE public.readings_eu old={id=1, region='eu', value=11}",
                "DELETE public.readings_us old={id=2, region='us', value=21}",
                "UPDATE public.metrics_eu old={id=3, region='eu', value=30} new={id=3, region='eu', value=31}",
                "UPDATE staging.metrics_us old={id=4, region='us', value=40} new={id=4, region='us', value=41}",
                "DELETE public.metrics_eu old={id=3, region='eu', value=31}",
                "DELETE staging.metrics_us old={id=4, region='us', value=41}");
        assertCompleteOldRows(changes);
    }

    @Test
    void publishViaPartitionRoot_partitionChangesArriveUnderRootName_withCompleteOldRow() {
        app("CREATE TABLE public.readings (id int, region text, value int) PARTITION BY LIST (region)",
                "CREATE TABLE public.readings_eu PARTITION OF public.readings FOR VALUES IN ('eu')");
        Connection cdc = provisionAllTablesAndOpenSlot(true);

        app("CREATE TABLE public.readings_us PARTITION OF public.readings FOR VALUES IN ('us')",
                "INSERT INTO public.readings VALUES (1, 'eu', 10), (2, 'us', 20)",
                "UPDATE public.readings SET value = value + 1",
                "DELETE FROM public.readings");

        List<RowChange> all = read(cdc);
        assertThat(all).extracting(RowChange::qualifiedTable).containsOnly("public.readings");
        List<RowChange> changes = updatesAndDeletes(all);
        assertThat(changes).extracting(RowChange::render).containsExactly(
                "UPDATE public.readings old={id=1, region='eu', value=10} new={id=1, region='eu', value=11}",
                "UPDATE public.readings old={id=2, region='us', value=20} new={id=2, region='us', value=21}",
                "DELETE public.readings old={id=1, region='eu', value=11}",
                "DELETE public.readings old={id=2, region='us', value=21}");
        assertCompleteOldRows(changes);
    }

    @Test
    void selectedTables_streamOnlyTrackedTables_withCompleteOldRow() {
        app("CREATE TABLE public.tracked (id int, status text)",
                "CREATE TABLE public.untracked (id int PRIMARY KEY, status text)",
                "INSERT INTO public.tracked VALUES (1, 'new')",
                "INSERT INTO public.untracked VALUES (1, 'new')");
        ProvisioningSpec spec = ProvisioningSpec.builder().publication(PUBLICATION)
                .trackingMode(TrackingMode.SELECTED_TABLES).tables(List.of(TableName.parse("public.tracked")))
                .cdcUser(cdcUser).cdcPassword(Secret.of(CDC_PASSWORD)).build();
        new Provisioner(db.asSuperuser()).provision(spec);
        Connection cdc = openSlotAsCdcUser();

        app("UPDATE public.tracked SET status = 'paid'",
                "UPDATE public.untracked SET status = 'paid'",
                "DELETE FROM public.tracked",
                "DELETE FROM public.untracked");

        List<RowChange> changes = read(cdc);
        assertThat(changes).extracting(RowChange::render).containsExactly(
                "UPDATE public.tracked old={id=1, status='new'} new={id=1, status='paid'}",
                "DELETE public.tracked old={id=1, status='paid'}");
        assertCompleteOldRows(changes);
    }

    @Test
    void untrackedSchema_staysOutOfTheStreamOn15Plus_andIsFullUnderForAllTablesOn13() {
        db.sql("CREATE SCHEMA untracked",
                "GRANT USAGE, CREATE ON SCHEMA untracked TO " + appRole);
        Connection cdc = provisionAllTablesAndOpenSlot(false);

        app("CREATE TABLE untracked.notes (id int PRIMARY KEY, body text)",
                "INSERT INTO untracked.notes VALUES (1, 'draft')",
                "UPDATE untracked.notes SET body = 'final'");

        List<RowChange> changes = updatesAndDeletes(read(cdc));
        if (db.major() >= 15) {
            // FOR TABLES IN SCHEMA public: the untracked schema is not published at all.
            assertThat(changes).isEmpty();
        } else {
            // FOR ALL TABLES publishes every schema; the event trigger keeps the new table write-safe (FULL).
            assertThat(changes).extracting(RowChange::render)
                    .containsExactly("UPDATE untracked.notes old={id=1, body='draft'} new={id=1, body='final'}");
        }
    }

    private Connection provisionAllTablesAndOpenSlot(boolean viaRoot) {
        ProvisioningSpec spec = ProvisioningSpec.builder().publication(PUBLICATION)
                .trackingMode(TrackingMode.ALL_TABLES).schemas(List.of("public")).cdcUser(cdcUser)
                .cdcPassword(Secret.of(CDC_PASSWORD)).publishViaPartitionRoot(viaRoot).build();
        new Provisioner(db.asSuperuser()).provision(spec);
        return openSlotAsCdcUser();
    }

    private Connection openSlotAsCdcUser() {
        Connection cdc = db.connect(cdcUser, CDC_PASSWORD);
        connections.add(cdc);
        try (PreparedStatement create = cdc.prepareStatement(
                "SELECT pg_catalog.pg_create_logical_replication_slot(?, 'pgoutput')")) {
            create.setString(1, slot);
            create.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("the CDC user could not create a slot: " + e.getMessage(), e);
        }
        return cdc;
    }

    /** Runs statements logged in as the application role, a plain LOGIN role without special attributes. */
    private void app(String... statements) {
        try (Connection app = db.connect(appRole, APP_PASSWORD); Statement statement = app.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static long countAs(Connection connection, String table) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private List<RowChange> read(Connection cdc) {
        return PgOutputDecoder.peekChanges(cdc, slot, PUBLICATION);
    }

    private static List<RowChange> updatesAndDeletes(List<RowChange> changes) {
        return changes.stream().filter(c -> c.kind() == Kind.UPDATE || c.kind() == Kind.DELETE).toList();
    }

    /** Every UPDATE and DELETE carries a FULL old image holding every column of its table, in table order. */
    private void assertCompleteOldRows(List<RowChange> changes) {
        List<RowChange> withOldRow = updatesAndDeletes(changes);
        assertThat(withOldRow).isNotEmpty();
        for (RowChange change : withOldRow) {
            assertThat(change.oldImage()).as(change.render()).isEqualTo(OldImage.FULL);
            assertThat(List.copyOf(change.oldRow().keySet())).as(change.render())
                    .isEqualTo(columnsOf(change.schema(), change.table()));
            assertThat(change.oldRow().values()).as(change.render())
                    .noneMatch(value -> value == ColumnValue.UNCHANGED_TOAST);
        }
    }

    private List<String> columnsOf(String schema, String table) {
        return db.rows("SELECT attname FROM pg_attribute WHERE attrelid = format('%I.%I', '" + schema + "', '"
                + table + "')::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
    }
}
