package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.postgres.decoding.PgOutputDecoder;
import io.cdcenabler.postgres.decoding.RowChange;
import io.cdcenabler.postgres.decoding.RowChange.Kind;
import io.cdcenabler.postgres.decoding.RowChange.OldImage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Names with characters that mean something in SQL text, array literals, JSON, dollar quotes, format() and
 * "schema.table" parsing. Each odd name is used at once as schema, table, column, publication and (with the
 * database's name added, roles being cluster-wide) CDC role name; the application creates and writes the tables as
 * itself. Everything is proved by effect: the application's INSERT/UPDATE/DELETE, the identity in pg_class, the
 * publication's tables, the change stream, the CDC role's SELECT, and a second run that changes nothing.
 */
class OddNamesTest extends AppWorldPerVersion {
    private static final int MAX = 63;
    private static final String LONG_ASCII = pad("Long_Name_", 'n', MAX);
    private static final String LONG_MIXED = pad("Zoë \"q\" 'a' b\\, {c} d.e NULL %s $cfg$ ", 'x', MAX - 2) + "ë";

    static Stream<Arguments> oddNames() {
        return Stream.of(
                Arguments.of("double quote", "Or\"ders"),
                Arguments.of("single quote", "O'Brien"),
                Arguments.of("backslash", "back\\slash\\"),
                Arguments.of("comma", "a,b"),
                Arguments.of("braces", "{braces}"),
                Arguments.of("spaces", "with  spaces"),
                Arguments.of("upper case", "MixedCase"),
                Arguments.of("dot", "a.b"),
                Arguments.of("unicode", "Zoë"),
                Arguments.of("NULL", "NULL"),
                Arguments.of("dollar and percent", "$cfg$%I%%"),
                Arguments.of("63 bytes ascii", LONG_ASCII),
                Arguments.of("63 bytes mixed", LONG_MIXED));
    }

    @Test
    void theLongNames_areExactly63Bytes() {
        assertThat(LONG_ASCII.getBytes(StandardCharsets.UTF_8)).hasSize(MAX);
        assertThat(LONG_MIXED.getBytes(StandardCharsets.UTF_8)).hasSize(MAX);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddNames")
    void allTables_provisionsVerifiesKeepsWritesStreamsAndRerunChangesNothing(String label, String odd)
            throws SQLException {
        createOddTable(odd);
        ProvisioningSpec spec = allTables(odd);

        ProvisioningResult first = world.provision(spec);

        assertThat(first.changes()).as("first run").isNotEmpty();
        assertThat(world.identity(qualified(odd, odd))).isEqualTo("f");
        assertThat(publishedTables(odd)).contains(odd + "|" + odd);
        assertAppWrites(odd, odd);
        assertThat(cdcCanSelect(odd, qualified(odd, odd))).isTrue();
        VerificationReport report = world.verify(spec);
        assertThat(report.failures()).isEmpty();
        assertThat(report.check(Verifier.SLOT).status()).isEqualTo(VerificationReport.Status.PASS);
        assertThat(world.provision(spec).changes()).as("second run").isEmpty();
        assertThat(new Provisioner(world.db.asSuperuser()).plan(spec).isEmpty()).as("plan after").isTrue();
        assertOldRowsStreamInFull(odd);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddNames")
    void allTables_tableCreatedLaterInTheOddSchema_getsFullFromTheTriggerAndStaysWritable(String label, String odd) {
        createOddTable(odd);
        ProvisioningSpec spec = allTables(odd);
        world.provision(spec);
        String later = fit("later " + odd);
        String copy = fit("copy " + odd);

        world.app("CREATE TABLE " + qualified(odd, later) + " (" + quote(odd) + " text, n int)",
                "CREATE TABLE " + qualified(odd, copy) + " AS SELECT * FROM " + qualified(odd, odd));

        assertThat(world.identity(qualified(odd, later))).isEqualTo("f");
        assertThat(world.identity(qualified(odd, copy))).isEqualTo("f");
        assertAppWrites(odd, later);
        assertAppWrites(odd, copy);
        assertThat(cdcCanSelect(odd, qualified(odd, later))).isTrue();
        assertThat(world.verify(spec).failures()).isEmpty();
        assertThat(world.provision(spec).changes()).as("run after the application's DDL").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddNames")
    void selectedTables_provisionTrackUntrackAndRerun(String label, String odd) {
        createOddTable(odd);
        String other = fit("other " + odd);
        world.app("CREATE TABLE " + qualified(odd, other) + " (" + quote(odd) + " text, n int)");
        TableName table = TableName.parse(quote(odd) + "." + quote(odd));
        TableName otherTable = new TableName(odd, other);
        assertThat(table).isEqualTo(new TableName(odd, odd));
        ProvisioningSpec spec = selected(odd, table);
        Provisioner provisioner = new Provisioner(world.db.asSuperuser());

        provisioner.provision(spec);

        assertThat(world.identity(qualified(odd, odd))).isEqualTo("f");
        assertThat(publishedTables(odd)).containsExactly(odd + "|" + odd);
        assertAppWrites(odd, odd);
        assertThat(world.verify(spec).failures()).isEmpty();
        assertThat(provisioner.provision(spec).changes()).as("second run").isEmpty();
        assertThat(provisioner.plan(spec).isEmpty()).as("plan after").isTrue();

        List<Change> tracked = provisioner.track(odd, List.of(otherTable), Optional.of(role(odd)), AppWorld.FAST);

        assertThat(tracked).isNotEmpty();
        assertThat(world.identity(qualified(odd, other))).isEqualTo("f");
        assertThat(publishedTables(odd)).containsExactlyInAnyOrder(odd + "|" + odd, odd + "|" + other);
        assertThat(cdcCanSelect(odd, qualified(odd, other))).isTrue();
        assertAppWrites(odd, other);
        assertThat(provisioner.track(odd, List.of(otherTable), Optional.of(role(odd)), AppWorld.FAST))
                .as("second track").isEmpty();

        assertThat(provisioner.untrack(odd, List.of(otherTable), AppWorld.FAST)).isNotEmpty();

        assertThat(publishedTables(odd)).containsExactly(odd + "|" + odd);
        assertThat(world.identity(qualified(odd, other))).isEqualTo("d");
        assertAppWrites(odd, other);
        assertThat(provisioner.untrack(odd, List.of(otherTable), AppWorld.FAST)).as("second untrack").isEmpty();
        assertThat(provisioner.provision(spec).changes()).as("run after untrack").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddNames")
    void selectedTables_newPartitionOfATrackedTable_getsFullFromTheTrigger(String label, String odd) {
        String parent = fit("parent " + odd);
        String child = fit("child " + odd);
        world.app("CREATE SCHEMA " + quote(odd), "CREATE TABLE " + qualified(odd, parent) + " (" + quote(odd)
                + " text, n int) PARTITION BY LIST (n)");
        ProvisioningSpec spec = selected(odd, new TableName(odd, parent));
        world.provision(spec);

        world.app("CREATE TABLE " + qualified(odd, child) + " PARTITION OF " + qualified(odd, parent)
                + " FOR VALUES IN (1)");

        assertThat(world.identity(qualified(odd, child))).isEqualTo("f");
        assertAppWrites(odd, parent);
        assertThat(cdcCanSelect(odd, qualified(odd, child))).isTrue();
        assertThat(world.verify(spec).failures()).isEmpty();
        assertThat(world.provision(spec).changes()).as("run after the new partition").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddNames")
    void teardown_withResetAndDropUser_removesEverythingAndTheApplicationStillWrites(String label, String odd) {
        createOddTable(odd);
        world.provision(allTables(odd));
        Provisioner provisioner = new Provisioner(world.db.asSuperuser());
        Provisioner.TeardownOptions options = new Provisioner.TeardownOptions(odd, List.of(odd), true,
                Optional.of(role(odd)), AppWorld.FAST);

        assertThat(provisioner.teardown(options)).isNotEmpty();

        assertThat(world.identity(qualified(odd, odd))).isEqualTo("d");
        assertThat(count("SELECT count(*) FROM pg_publication WHERE pubname = ?", odd)).isZero();
        assertThat(count("SELECT count(*) FROM pg_roles WHERE rolname = ?", role(odd))).isZero();
        assertThat(count("SELECT count(*) FROM pg_event_trigger WHERE evtname = ?", EventTriggerSql.TRIGGER))
                .isZero();
        assertAppWrites(odd, odd);
        world.app("CREATE TABLE " + qualified(odd, fit("after " + odd)) + " (v text)");
        assertThat(world.identity(qualified(odd, fit("after " + odd)))).isEqualTo("d");
        assertThat(provisioner.teardown(options)).as("second teardown").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddNames")
    void readingApis_findTheOddTableAndRoleAndKeepTheSecretName(String label, String odd) {
        createOddTable(odd);
        world.provision(allTables(odd));
        Provisioner provisioner = new Provisioner(world.db.asSuperuser());
        String secret = "cdc/" + odd;

        assertThat(provisioner.replicaIdentities(List.of(new TableName(odd, odd), new TableName(odd, "missing"))))
                .containsExactly(java.util.Map.entry(new TableName(odd, odd), "FULL"));
        assertThat(provisioner.roleExists(role(odd))).isTrue();
        CdcRoleAudit.ExistingRole audit = CdcRoleAudit.inspect(world.db.asSuperuser(), role(odd)).orElseThrow();
        assertThat(audit.createdByCdcEnabler()).isTrue();
        assertThat(audit.beyondLeastPrivilege()).isEmpty();
        assertThat(CdcRoleAudit.recordPasswordSecret(world.db.asSuperuser(), role(odd), secret, AppWorld.FAST))
                .isTrue();
        assertThat(CdcRoleAudit.passwordSecret(world.db.asSuperuser(), role(odd))).contains(secret);
        assertThat(world.provision(allTables(odd)).changes()).as("run after recording the secret").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oddNames")
    void parse_ofQuotedParts_roundTripsThroughToString(String label, String odd) {
        TableName name = new TableName(odd, odd);

        assertThat(TableName.parse(name.toString())).isEqualTo(name);
        assertThat(TableName.parse(quote(odd) + "." + quote(odd))).isEqualTo(name);
        assertThat(TableName.parse(quote(odd))).isEqualTo(new TableName("public", odd));
    }

    @Test
    void slotHealth_readsPublicationNamesWithCommasAndQuotesFromAWalsenderCommand() {
        String command = "START_REPLICATION SLOT \"s\" LOGICAL 0/0 (proto_version '1', publication_names "
                + "'\"a,b\",\"Or\"\"ders\",plain,\"O''Brien\",\"x\"\"\"')";

        assertThat(SlotHealth.publications(command)).containsExactly("a,b", "Or\"ders", "plain", "O'Brien", "x\"");
    }

    @Test
    void grant_whenATableWithANewlineWasDroppedMeanwhile_runsAgainWithoutIt() {
        TableName dropped = new TableName("a.b", "ord\ners");
        TableName kept = new TableName("a.b", "a.b");
        Step.GrantSelectStep grant = new Step.GrantSelectStep(new Change("granted SELECT to r on", "2 tables"), "r",
                List.of(dropped, kept));

        assertThat(grant.without("ERROR: relation \"a.b.ord\ners\" does not exist").orElseThrow().tables())
                .containsExactly(kept);
        assertThat(grant.without("ERROR: relation \"a.b.a.b\" does not exist").orElseThrow().tables())
                .containsExactly(dropped);
    }

    // --- a control character in a table name ---

    @Test
    void selectedTables_withANewlineInATableName_isRefusedNamingTheTableAndChangesNothing() {
        world.app("CREATE TABLE public.orders (id int, v text)");
        String before = state();

        assertThatThrownBy(() -> world.provision(world.selected(AppWorld.PUBLICATION, "public.orders",
                "public.\"ord\ners\"")))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("table name").hasMessageContaining("control character")
                .hasMessageContaining("ord\\u000aers");
        assertThatThrownBy(() -> TableName.parse("\"ord\ners\"")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("control character").hasMessageContaining("ord\\u000aers");
        assertThatThrownBy(() -> TableName.parse("public.or\tders")).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("public.or\\u0009ders").hasMessageContaining("U+0009");

        assertThat(state()).isEqualTo(before);
    }

    /**
     * A table the application named with a newline is a real table: it is tracked like any other (the engine
     * quotes it), and messages show the newline as an escape. Refusing it would block every later run, and on 13 and
     * 14 (FOR ALL TABLES) fail a run after it committed.
     */
    @Test
    void allTables_whenATrackedSchemaHoldsATableWithANewline_tracksIt() {
        world.app("CREATE TABLE public.orders (id int, v text)", "CREATE TABLE public.\"ord\ners\" (v text)");

        ProvisioningResult result = world.provision(world.allTables("public"));

        assertThat(result.changes()).extracting(Change::toString)
                .contains("set REPLICA IDENTITY FULL on public.\"ord\\u000aers\"")
                .allSatisfy(change -> assertThat(change).doesNotContain("\n"));
        assertThat(world.identity("public.\"ord\ners\"")).isEqualTo("f");
        assertTablesStayWorking("public.\"ord\ners\"");
    }

    @Test
    void allTables_whenAnotherSchemaHoldsAKeyedTableWithANewline_tracksPublicAndDoesNotFailAfterCommitting() {
        world.app("CREATE TABLE public.orders (id int, v text)", "CREATE SCHEMA other",
                "CREATE TABLE other.\"ord\ners\" (id int PRIMARY KEY, v text)");

        world.provision(world.allTables("public"));

        assertThat(world.identity("public.orders")).isEqualTo("f");
        assertTablesStayWorking("other.\"ord\ners\"");
    }

    @Test
    void eventTrigger_whenTheApplicationCreatesATableWithANewline_makesItFullAndLaterRunsWork() {
        world.app("CREATE TABLE public.orders (id int, v text)");
        world.provision(world.allTables("public"));

        world.app("CREATE TABLE public.\"ord\ners\" (v text)");

        assertThat(world.identity("public.\"ord\ners\"")).isEqualTo("f");
        assertTablesStayWorking("public.\"ord\ners\"");
    }

    /** The application still writes the table, verify finds nothing wrong and a second run changes nothing. */
    private void assertTablesStayWorking(String table) {
        world.assertAppCanWrite(table, "v");
        world.assertAppCanWrite("public.orders", "v");
        assertThat(world.verify(world.allTables("public")).failures()).isEmpty();
        assertThat(world.provision(world.allTables("public")).changes()).as("second run").isEmpty();
    }

    // --- helpers ---

    private void createOddTable(String odd) {
        world.app("CREATE SCHEMA " + quote(odd),
                "CREATE TABLE " + qualified(odd, odd) + " (" + quote(odd) + " text, n int)",
                "INSERT INTO " + qualified(odd, odd) + " VALUES ('before', 0)");
    }

    private ProvisioningSpec allTables(String odd) {
        return ProvisioningSpec.builder().publication(odd).trackingMode(TrackingMode.ALL_TABLES)
                .schemas(List.of(odd)).cdcUser(role(odd)).cdcPassword(Secret.of(AppWorld.CDC_PASSWORD))
                .lockPolicy(AppWorld.FAST).build();
    }

    private ProvisioningSpec selected(String odd, TableName table) {
        return ProvisioningSpec.builder().publication(odd).trackingMode(TrackingMode.SELECTED_TABLES)
                .tables(List.of(table)).cdcUser(role(odd)).cdcPassword(Secret.of(AppWorld.CDC_PASSWORD))
                .lockPolicy(AppWorld.FAST).build();
    }

    /** The odd name made unique in the cluster (roles are cluster-wide), kept at 63 bytes when it is that long. */
    private String role(String odd) {
        String unique = odd + " " + world.db.name();
        return odd.getBytes(StandardCharsets.UTF_8).length == MAX ? pad(fit(world.db.name() + " " + odd
                .substring(0, odd.length() - 4)), 'r', MAX) : unique;
    }

    /** The application's INSERT, UPDATE and DELETE on the table, each touching exactly one row. */
    private void assertAppWrites(String schema, String table) {
        String target = qualified(schema, table);
        String column = quote(schema);
        try (Connection app = world.db.connect(world.appRole, AppWorld.APP_PASSWORD);
             Statement statement = app.createStatement()) {
            assertThat(statement.executeUpdate("INSERT INTO " + target + " (" + column + ", n) VALUES ('x', 1)"))
                    .as("INSERT into " + target).isEqualTo(1);
            assertThat(statement.executeUpdate("UPDATE " + target + " SET " + column + " = 'y' WHERE " + column
                    + " = 'x'")).as("UPDATE of " + target).isEqualTo(1);
            assertThat(statement.executeUpdate("DELETE FROM " + target + " WHERE " + column + " = 'y'"))
                    .as("DELETE from " + target).isEqualTo(1);
        } catch (SQLException e) {
            throw new AssertionError("the application's write on " + target + " failed: " + e.getMessage(), e);
        }
    }

    /** The CDC role decodes the application's UPDATE of the odd table with the whole old row. */
    private void assertOldRowsStreamInFull(String odd) throws SQLException {
        String slot = "odd_" + world.db.name();
        try (Connection cdc = world.db.connect(role(odd), AppWorld.CDC_PASSWORD)) {
            try (PreparedStatement create = cdc.prepareStatement(
                    "SELECT pg_catalog.pg_create_logical_replication_slot(?, 'pgoutput')")) {
                create.setString(1, slot);
                create.execute();
            }
            try {
                world.app("UPDATE " + qualified(odd, odd) + " SET n = 7 WHERE " + quote(odd) + " = 'before'");

                List<RowChange> changes = PgOutputDecoder.peekChanges(cdc, slot, odd);

                RowChange update = changes.stream().filter(c -> c.kind() == Kind.UPDATE).findFirst().orElseThrow();
                assertThat(update.schema()).isEqualTo(odd);
                assertThat(update.table()).isEqualTo(odd);
                assertThat(update.oldImage()).isEqualTo(OldImage.FULL);
            } finally {
                world.db.sql("SELECT pg_drop_replication_slot('" + slot + "')");
            }
        }
    }

    /** "schema|table" of every table the publication publishes. */
    private List<String> publishedTables(String publication) {
        return strings("SELECT schemaname || '|' || tablename FROM pg_publication_tables WHERE pubname = ? "
                + "ORDER BY 1", publication);
    }

    private boolean cdcCanSelect(String odd, String table) {
        try (Connection cdc = world.db.connect(role(odd), AppWorld.CDC_PASSWORD);
             Statement statement = cdc.createStatement();
             ResultSet ignored = statement.executeQuery("SELECT * FROM " + table)) {
            return true;
        } catch (SQLException e) {
            if ("42501".equals(e.getSQLState())) {
                return false;
            }
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private long count(String sql, String param) {
        return Long.parseLong(strings(sql, param).get(0));
    }

    private List<String> strings(String sql, String param) {
        try (Connection connection = world.db.connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, param);
            List<String> result = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    result.add(rows.getString(1));
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Identities, ACLs, publications, roles, event triggers and schemas: what provisioning could change. */
    private String state() {
        return String.join("\n", world.db.rows("""
                SELECT n.nspname || '.' || c.relname || ' ' || c.relreplident::text || ' '
                       || coalesce(c.relacl::text, '')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname !~ '^pg_'
                UNION ALL SELECT 'publication ' || pubname FROM pg_publication
                UNION ALL SELECT 'event trigger ' || evtname FROM pg_event_trigger
                UNION ALL SELECT 'schema ' || nspname FROM pg_namespace
                UNION ALL SELECT 'role ' || rolname FROM pg_roles
                UNION ALL SELECT 'default acl ' || defaclacl::text FROM pg_default_acl
                ORDER BY 1"""));
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static String qualified(String schema, String table) {
        return quote(schema) + "." + quote(table);
    }

    /** The text cut to at most 63 bytes (whole characters). */
    private static String fit(String text) {
        String fitted = text;
        while (fitted.getBytes(StandardCharsets.UTF_8).length > MAX) {
            fitted = fitted.substring(0, fitted.length() - 1);
        }
        return fitted;
    }

    private static String pad(String text, char with, int bytes) {
        StringBuilder padded = new StringBuilder(fit(text));
        while (padded.toString().getBytes(StandardCharsets.UTF_8).length < bytes) {
            padded.append(with);
        }
        return padded.toString();
    }
}
