package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.postgres.decoding.PgOutputDecoder;
import io.cdcenabler.postgres.decoding.RowChange;
import io.cdcenabler.postgres.decoding.RowChange.Kind;
import io.cdcenabler.postgres.decoding.RowChange.OldImage;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identifiers with quotes, spaces, capitals, unicode and semicolons are quoted everywhere (client-side, server-side
 * and inside the event trigger), and bad input is refused before anything changes.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class IdentifiersAndInputTest {
    private static final String SPACED = "My Schema";
    private static final String UNICODE = "Ünïcødé";
    private static final String QUOTED = "a\"b";
    private static final String INJECTION = "x; DROP TABLE y; --";
    private static final String PUBLICATION = "Pub \"x\"; DROP TABLE y; --";
    private static final String PASSWORD = "pa'ss\"w; -- ö";

    @Parameter
    String version;

    TestDatabase db;
    String cdcUser;

    @BeforeEach
    void freshDatabase() {
        db = PostgresServers.freshDatabase(version);
        cdcUser = "Cdc \"ü\"; DROP ROLE x; -- " + db.name();
    }

    @Test
    void provision_withHostileIdentifiers_tracksEverythingAndRerunChangesNothing() {
        createHostileSchemasAndTables();
        ProvisioningSpec spec = hostileSpec();
        Provisioner provisioner = new Provisioner(db.asSuperuser());

        ProvisioningResult first = provisioner.provision(spec);
        ProvisioningResult second = provisioner.provision(spec);

        assertThat(first.changes()).isNotEmpty();
        assertThat(second.changes()).isEmpty();
        assertThat(db.replicaIdentity(qualified(SPACED, "Order Items"))).isEqualTo("f");
        assertThat(db.replicaIdentity(qualified(SPACED, "dotted.name"))).isEqualTo("f");
        assertThat(db.replicaIdentity(qualified(UNICODE, "Ωmega"))).isEqualTo("f");
        assertThat(db.replicaIdentity(qualified(QUOTED, "q\"uote"))).isEqualTo("f");
        assertThat(db.replicaIdentity(qualified(INJECTION, "t; DROP TABLE y; --"))).isEqualTo("f");
        assertThat(db.value("SELECT count(*) FROM pg_publication WHERE pubname = '" + PUBLICATION.replace("'", "''")
                + "'")).isEqualTo("1");
        assertThat(db.value("SELECT to_regclass('public.y') IS NOT NULL")).isEqualTo("t");
        assertThat(cdcCanRead(qualified(INJECTION, "t; DROP TABLE y; --"))).isTrue();
    }

    @Test
    void verify_afterProvisioningWithHostileIdentifiers_isReady() {
        createHostileSchemasAndTables();
        new Provisioner(db.asSuperuser()).provision(hostileSpec());

        VerificationReport report = new Verifier(db.asSuperuser()).verify(hostileSpec());

        assertThat(report.failures()).isEmpty();
        assertThat(report.check(Verifier.SLOT).status()).isEqualTo(VerificationReport.Status.PASS);
    }

    @Test
    void eventTrigger_whenTablesWithHostileNamesAreCreated_makesThemFullAndReadable() {
        createHostileSchemasAndTables();
        new Provisioner(db.asSuperuser()).provision(hostileSpec());

        db.sql("CREATE TABLE " + qualified(SPACED, "New \"Table\"; DROP TABLE y; --") + " (id int)",
                "CREATE TABLE " + qualified(UNICODE, "Ünïcødé Copy") + " AS SELECT * FROM public.y",
                "CREATE TABLE " + qualified(QUOTED, "Parent") + " (id int, k text) PARTITION BY LIST (k)",
                "CREATE TABLE " + qualified(INJECTION, "Child; --") + " PARTITION OF " + qualified(QUOTED, "Parent")
                        + " FOR VALUES IN ('a')");

        assertThat(db.replicaIdentity(qualified(SPACED, "New \"Table\"; DROP TABLE y; --"))).isEqualTo("f");
        assertThat(db.replicaIdentity(qualified(UNICODE, "Ünïcødé Copy"))).isEqualTo("f");
        assertThat(db.replicaIdentity(qualified(QUOTED, "Parent"))).isEqualTo("f");
        assertThat(db.replicaIdentity(qualified(INJECTION, "Child; --"))).isEqualTo("f");
        assertThat(cdcCanRead(qualified(SPACED, "New \"Table\"; DROP TABLE y; --"))).isTrue();
        assertThat(cdcCanRead(qualified(UNICODE, "Ünïcødé Copy"))).isTrue();
        assertThat(db.value("SELECT to_regclass('public.y') IS NOT NULL")).isEqualTo("t");
    }

    @Test
    void changeStream_withHostilePublicationAndTableNames_carriesCompleteOldRow() throws SQLException {
        createHostileSchemasAndTables();
        new Provisioner(db.asSuperuser()).provision(hostileSpec());
        String slot = "hostile_" + db.name();
        try (Connection cdc = db.connect(cdcUser, PASSWORD)) {
            try (PreparedStatement create = cdc.prepareStatement(
                    "SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                create.setString(1, slot);
                create.execute();
            }
            try {
                db.sql("INSERT INTO " + qualified(SPACED, "Order Items") + " VALUES (1, 'ä')",
                        "UPDATE " + qualified(SPACED, "Order Items") + " SET \"Näme\" = 'ö'");

                List<RowChange> changes = PgOutputDecoder.peekChanges(cdc, slot, PUBLICATION);

                RowChange update = changes.stream().filter(c -> c.kind() == Kind.UPDATE).findFirst().orElseThrow();
                assertThat(update.schema()).isEqualTo(SPACED);
                assertThat(update.table()).isEqualTo("Order Items");
                assertThat(update.oldImage()).isEqualTo(OldImage.FULL);
                assertThat(update.render()).isEqualTo(
                        "UPDATE My Schema.Order Items old={id=1, Näme='ä'} new={id=1, Näme='ö'}");
            } finally {
                db.sql("SELECT pg_drop_replication_slot('" + slot + "')");
            }
        }
    }

    @Test
    void provision_withTableNameOfExactly63Bytes_tracksIt() {
        String name = "€".repeat(21);
        assertThat(name.getBytes(StandardCharsets.UTF_8)).hasSize(63);
        db.sql("CREATE TABLE public.\"" + name + "\" (id int)");

        new Provisioner(db.asSuperuser()).provision(ProvisioningSpec.builder()
                .trackingMode(TrackingMode.SELECTED_TABLES).tables(List.of(new TableName("public", name)))
                .credentialsMode(CredentialsMode.MASTER).build());

        assertThat(db.replicaIdentity("public.\"" + name + "\"")).isEqualTo("f");
    }

    @Test
    void parse_whenPartsAreQuoted_keepsDotsQuotesAndCase() {
        assertThat(TableName.parse("\"My Schema\".\"a.b\"")).isEqualTo(new TableName("My Schema", "a.b"));
        assertThat(TableName.parse("\"a\"\"b\".\"c\"\"\"")).isEqualTo(new TableName("a\"b", "c\""));
        assertThat(TableName.parse("\"x; DROP TABLE y; --\".t")).isEqualTo(new TableName(INJECTION, "t"));
        assertThat(TableName.parse("Ünïcødé.Ωmega")).isEqualTo(new TableName(UNICODE, "Ωmega"));
        assertThat(TableName.parse("orders")).isEqualTo(new TableName("public", "orders"));
        assertThat(TableName.parse("Orders")).isEqualTo(new TableName("public", "Orders"));
        assertThat(TableName.parse("\"\"\"\"")).isEqualTo(new TableName("public", "\""));
    }

    @Test
    void parse_thenQuotedAndToString_roundTrip() {
        TableName name = new TableName("My Schema", "a\"b.c");

        assertThat(name.quoted()).isEqualTo("\"My Schema\".\"a\"\"b.c\"");
        assertThat(name.toString()).isEqualTo("\"My Schema\".\"a\"\"b.c\"");
        assertThat(TableName.parse(name.toString())).isEqualTo(name);
        assertThat(new TableName("public", "orders").toString()).isEqualTo("public.orders");
    }

    @Test
    void parse_whenMalformed_throwsInvalidSpecNamingTheProblem() {
        assertThatThrownBy(() -> TableName.parse("a.b.c")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("3 dot-separated parts");
        assertThatThrownBy(() -> TableName.parse("\"unterminated.t")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("unterminated");
        assertThatThrownBy(() -> TableName.parse("\"a\"b.c")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("after a closing quote");
        assertThatThrownBy(() -> TableName.parse("")).isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> TableName.parse("  ")).isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> TableName.parse(null)).isInstanceOf(InvalidSpecException.class);
        assertThatThrownBy(() -> TableName.parse(".orders")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> TableName.parse("public.")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> TableName.parse("pg_catalog.pg_class")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("system schema");
        assertThatThrownBy(() -> TableName.parse("public.a\0b")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void spec_whenNameLongerThan63Bytes_throwsInvalidSpecNamingTheField() {
        String ascii64 = "p".repeat(64);
        String unicode64 = "ü".repeat(32);

        assertThatThrownBy(() -> ProvisioningSpec.builder().publication(ascii64).build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("publication")
                .hasMessageContaining("64");
        assertThatThrownBy(() -> ProvisioningSpec.builder().cdcUser(unicode64).build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("cdcUser").hasMessageContaining("64");
        assertThatThrownBy(() -> ProvisioningSpec.builder().schemas(List.of(unicode64)).build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("schema");
        assertThatThrownBy(() -> new TableName("public", ascii64)).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("table name");
        assertThat(ProvisioningSpec.builder().publication("p".repeat(63)).build().publication()).hasSize(63);
    }

    @Test
    void spec_whenSchemaIsASystemSchema_throwsInvalidSpec() {
        for (String system : List.of("pg_catalog", "information_schema", "pg_toast", "pg_temp_3")) {
            assertThatThrownBy(() -> ProvisioningSpec.builder().schemas(List.of(system)).build())
                    .as(system).isInstanceOf(InvalidSpecException.class).hasMessageContaining(system);
        }
    }

    @Test
    void spec_whenTrackingModeAndTablesDisagree_throwsInvalidSpec() {
        assertThatThrownBy(() -> ProvisioningSpec.builder().trackingMode(TrackingMode.SELECTED_TABLES).build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("tables");
        assertThatThrownBy(() -> ProvisioningSpec.builder().trackingMode(TrackingMode.ALL_TABLES)
                .tables(List.of(TableName.parse("public.a"))).build())
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("tables");
    }

    @Test
    void spec_whenCdcUserIsReservedOrEmpty_throwsInvalidSpec() {
        for (String reserved : List.of("pg_reader", "rds_reader", "public", "")) {
            assertThatThrownBy(() -> ProvisioningSpec.builder().cdcUser(reserved).build())
                    .as(reserved).isInstanceOf(InvalidSpecException.class).hasMessageContaining("cdcUser");
        }
        assertThatThrownBy(() -> ProvisioningSpec.builder().credentialsMode(CredentialsMode.MASTER)
                .cdcPassword(Secret.of("x")).build()).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("cdcPassword");
    }

    @Test
    void provision_whenCdcUserIsTheAdminItself_throwsInvalidSpecAndChangesNothing() {
        db.sql("CREATE TABLE public.orders (id int)");

        assertThatThrownBy(() -> new Provisioner(db.asSuperuser())
                .provision(ProvisioningSpec.builder().cdcUser("postgres").build()))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("postgres");

        assertThat(db.replicaIdentity("public.orders")).isEqualTo("d");
    }

    @Test
    void provision_whenSchemaUnknown_throwsNamingItAndChangesNothing() {
        db.sql("CREATE TABLE public.orders (id int)");
        String before = snapshot();

        assertThatThrownBy(() -> new Provisioner(db.asSuperuser()).provision(ProvisioningSpec.builder()
                .schemas(List.of("public", "No Such Schema")).cdcUser(cdcUser).build()))
                .isInstanceOf(UnknownObjectException.class).hasMessageContaining("\"No Such Schema\"")
                .hasMessageNotContaining("public");

        assertThat(snapshot()).isEqualTo(before);
        assertThat(db.value("SELECT count(*) FROM pg_roles WHERE rolname = '" + cdcUser.replace("'", "''") + "'"))
                .isEqualTo("0");
    }

    @Test
    void provision_whenSelectedTableUnknown_throwsNamingItAndChangesNothing() {
        db.sql("CREATE TABLE public.orders (id int)");
        String before = snapshot();

        assertThatThrownBy(() -> new Provisioner(db.asSuperuser()).provision(ProvisioningSpec.builder()
                .trackingMode(TrackingMode.SELECTED_TABLES)
                .tables(List.of(TableName.parse("public.orders"), new TableName(SPACED, "Missing Table")))
                .cdcUser(cdcUser).build()))
                .isInstanceOf(UnknownObjectException.class)
                .hasMessageContaining("\"My Schema\".\"Missing Table\"");

        assertThat(snapshot()).isEqualTo(before);
    }

    private void createHostileSchemasAndTables() {
        db.sql("CREATE TABLE public.y (id int PRIMARY KEY)",
                "INSERT INTO public.y VALUES (1)",
                "CREATE SCHEMA " + Identifiers.quote(SPACED),
                "CREATE SCHEMA " + Identifiers.quote(UNICODE),
                "CREATE SCHEMA " + Identifiers.quote(QUOTED),
                "CREATE SCHEMA " + Identifiers.quote(INJECTION),
                "CREATE TABLE " + qualified(SPACED, "Order Items") + " (id int, \"Näme\" text)",
                "CREATE TABLE " + qualified(SPACED, "dotted.name") + " (id int)",
                "CREATE TABLE " + qualified(UNICODE, "Ωmega") + " (id int)",
                "CREATE TABLE " + qualified(QUOTED, "q\"uote") + " (id int)",
                "CREATE TABLE " + qualified(INJECTION, "t; DROP TABLE y; --") + " (id int)");
    }

    private ProvisioningSpec hostileSpec() {
        return ProvisioningSpec.builder().publication(PUBLICATION).trackingMode(TrackingMode.ALL_TABLES)
                .schemas(List.of("public", SPACED, UNICODE, QUOTED, INJECTION)).cdcUser(cdcUser)
                .cdcPassword(Secret.of(PASSWORD)).build();
    }

    private static String qualified(String schema, String table) {
        return Identifiers.quote(schema) + "." + Identifiers.quote(table);
    }

    private boolean cdcCanRead(String table) {
        try (Connection cdc = db.connect(cdcUser, PASSWORD); Statement statement = cdc.createStatement();
             ResultSet ignored = statement.executeQuery("SELECT * FROM " + table)) {
            return true;
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return false;
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Replica identities, grants, roles of this test, publications and event triggers. */
    private String snapshot() {
        return String.join("\n", db.rows("""
                SELECT n.nspname || '.' || c.relname || ' ' || c.relreplident::text || ' '
                       || coalesce(c.relacl::text, '')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname !~ '^pg_'
                UNION ALL SELECT 'publication ' || pubname FROM pg_publication
                UNION ALL SELECT 'event trigger ' || evtname FROM pg_event_trigger
                UNION ALL SELECT 'schema ' || nspname FROM pg_namespace
                UNION ALL SELECT 'default acl ' || defaclacl::text FROM pg_default_acl
                ORDER BY 1"""));
    }
}
