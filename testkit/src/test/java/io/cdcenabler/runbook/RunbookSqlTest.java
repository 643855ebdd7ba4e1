package io.cdcenabler.runbook;

import io.cdcenabler.embedded.EmbeddedPostgresLauncher;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import io.cdcenabler.runbook.RunbookSql.OnError;
import io.cdcenabler.runbook.RunbookSql.Platform;
import io.cdcenabler.runbook.RunbookSql.ReadOnlyUser;
import io.cdcenabler.runbook.RunbookSql.Result;
import io.cdcenabler.runbook.RunbookSql.RunbookSqlException;
import io.cdcenabler.runbook.RunbookSql.Section;
import io.cdcenabler.runbook.RunbookSql.StatementError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class RunbookSqlTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final RunbookSql RUNBOOK = RunbookSql.load();

    private static RunningPostgres postgres;
    private static Connection admin;

    private Connection connection;

    @BeforeAll
    static void startServer() {
        postgres = EmbeddedPostgresLauncher.builder().start();
        admin = postgres.connect("postgres");
    }

    @AfterAll
    static void stopServer() throws SQLException {
        try {
            if (admin != null) {
                admin.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @BeforeEach
    void connectToFreshDatabase() throws SQLException {
        String database = "runbook_" + DATABASES.incrementAndGet();
        execute(admin, "CREATE DATABASE " + database);
        connection = postgres.connect(database);
    }

    @AfterEach
    void disconnect() throws SQLException {
        connection.close();
    }

    @Test
    void installReplicaIdentity_whenFreshDatabase_makesExistingAndNewPublicTablesFull() throws SQLException {
        execute(connection, "CREATE TABLE public.accounts (id integer PRIMARY KEY, name text)");

        Result result = RUNBOOK.installReplicaIdentity(connection, OnError.CONTINUE);
        execute(connection, "CREATE TABLE public.invoices (id integer, amount numeric)");

        assertThat(result.errors()).isEmpty();
        assertThat(result.executed()).isEqualTo(4);
        assertThat(replicaIdentity("public.accounts")).isEqualTo("f");
        assertThat(replicaIdentity("public.invoices")).isEqualTo("f");
    }

    @Test
    void installReplicaIdentity_whenRunASecondTime_failsOnCreateEventTriggerAndPsqlStillExitsZero() {
        RUNBOOK.installReplicaIdentity(connection, OnError.CONTINUE);

        Result second = RUNBOOK.installReplicaIdentity(connection, OnError.CONTINUE);

        assertThat(second.executed()).isEqualTo(4);
        assertThat(second.errors()).singleElement().satisfies(error -> {
            assertThat(error.section()).isEqualTo(Section.REPLICA_IDENTITY);
            assertThat(error.firstLine()).startsWith("CREATE EVENT TRIGGER _bemi_set_replica_identity_trigger");
            assertThat(error.sqlState()).isEqualTo("42710");
            assertThat(error.message()).contains("already exists");
        });
        assertThat(second.psqlExitStatus()).isZero();
    }

    @Test
    void installReplicaIdentity_whenTableNameAlsoExistsInAnotherSchema_keepsSelectingTheFullPublicTable()
            throws SQLException {
        RUNBOOK.installReplicaIdentity(connection, OnError.CONTINUE);
        execute(connection, "CREATE SCHEMA billing");
        execute(connection, "CREATE TABLE public.orders (id integer PRIMARY KEY)");
        execute(connection, "CREATE TABLE billing.orders (id integer PRIMARY KEY)");

        assertThat(publicTablesTheProcedureWouldAlter()).containsExactly("orders");
        assertThat(replicaIdentity("public.orders")).isEqualTo("f");
        assertThat(replicaIdentity("billing.orders")).isEqualTo("d");
    }

    @Test
    void createReadOnlyUser_whenSelfManaged_createsALoginRoleWithReplicationThatCanReadPublicTables()
            throws SQLException {
        execute(connection, "CREATE TABLE public.accounts (id integer PRIMARY KEY)");

        Result result = RUNBOOK.createReadOnlyUser(connection,
                new ReadOnlyUser(Platform.SELF_MANAGED, "cdc_reader_1", "secret-1"), OnError.CONTINUE);

        assertThat(result.succeeded()).isTrue();
        assertThat(queryBoolean("SELECT rolcanlogin AND rolreplication FROM pg_catalog.pg_roles"
                + " WHERE rolname = 'cdc_reader_1'")).isTrue();
        assertThat(queryBoolean("SELECT pg_catalog.has_table_privilege('cdc_reader_1', 'public.accounts', 'SELECT')"))
                .isTrue();
    }

    @Test
    void createReadOnlyUser_whenRdsFlavourOnPlainPostgres_failsOnlyOnGrantRdsReplication() {
        Result result = RUNBOOK.createReadOnlyUser(connection,
                new ReadOnlyUser(Platform.RDS, "cdc_reader_2", "secret-2"), OnError.CONTINUE);

        assertThat(result.executed()).isEqualTo(4);
        assertThat(result.errors()).extracting(StatementError::firstLine, StatementError::sqlState)
                .containsExactly(tuple("GRANT rds_replication TO cdc_reader_2;",
                        "42704"));
    }

    @Test
    void createReadOnlyUser_whenRunTwiceWithStopOnError_stopsAtCreateRoleAndPsqlExitsThree() {
        ReadOnlyUser user = new ReadOnlyUser(Platform.SELF_MANAGED, "cdc_reader_3", "secret-3");
        RUNBOOK.createReadOnlyUser(connection, user, OnError.STOP);

        Result second = RUNBOOK.createReadOnlyUser(connection, user, OnError.STOP);

        assertThat(second.executed()).isEqualTo(1);
        assertThat(second.skipped()).isEqualTo(2);
        assertThat(second.errors()).singleElement().satisfies(error -> {
            assertThat(error.firstLine()).startsWith("CREATE ROLE cdc_reader_3 ");
            assertThat(error.sqlState()).isEqualTo("42710");
        });
        assertThat(second.psqlExitStatus()).isEqualTo(3);
    }

    @Test
    void createPublication_createsAForAllTablesPublicationThatASecondRunCannotCreateAgain() throws SQLException {
        Result first = RUNBOOK.createPublication(connection, "bemi", OnError.CONTINUE);
        Result second = RUNBOOK.createPublication(connection, "bemi", OnError.CONTINUE);

        assertThat(first.succeeded()).isTrue();
        assertThat(queryBoolean("SELECT puballtables FROM pg_catalog.pg_publication WHERE pubname = 'bemi'")).isTrue();
        assertThat(second.errors()).extracting(StatementError::sqlState).containsExactly("42710");
    }

    @Test
    void removeReplicaIdentity_afterInstall_dropsTheTriggerSoNewTablesStayDefault() throws SQLException {
        RUNBOOK.installReplicaIdentity(connection, OnError.STOP);

        Result result = RUNBOOK.removeReplicaIdentity(connection, OnError.STOP);
        execute(connection, "CREATE TABLE public.later (id integer PRIMARY KEY)");

        assertThat(result.succeeded()).isTrue();
        assertThat(replicaIdentity("public.later")).isEqualTo("d");
    }

    @Test
    void runAll_whenSelfManaged_setsUpUserPublicationAndTrigger() throws SQLException {
        execute(connection, "CREATE TABLE public.accounts (id integer)");

        Result result = RUNBOOK.runAll(connection, new ReadOnlyUser(Platform.SELF_MANAGED, "cdc_reader_4", "secret-4"),
                "bemi", OnError.STOP);

        assertThat(result.errors()).isEmpty();
        assertThat(result.executed()).isEqualTo(8);
        assertThat(replicaIdentity("public.accounts")).isEqualTo("f");
    }

    @Test
    void statements_whenPlpgsqlBodyHasSemicolons_keepsEachBodyInOneStatement() {
        assertThat(RUNBOOK.statements(Section.REPLICA_IDENTITY)).hasSize(4);
        assertThat(RUNBOOK.statements(Section.REPLICA_IDENTITY).get(0))
                .contains("CREATE OR REPLACE PROCEDURE _bemi_set_replica_identity()")
                .contains("ON relname = tablename")
                .contains("EXECUTE format('ALTER TABLE %I REPLICA IDENTITY FULL', current_tablename);")
                .contains("END LOOP;")
                .endsWith("END $$ LANGUAGE plpgsql;");
    }

    @Test
    void createReadOnlyUser_whenPasswordEmpty_failsNamingTheField() {
        assertThatThrownBy(() -> RUNBOOK.createReadOnlyUser(connection,
                new ReadOnlyUser(Platform.RDS, "cdc_reader", ""), OnError.STOP))
                .isInstanceOf(RunbookSqlException.class)
                .hasMessageContaining("password");
    }

    @Test
    void parse_whenStatementNotClosed_failsNamingTheSection() {
        String text = """
                -- @section publication
                CREATE PUBLICATION [publication] FOR ALL TABLES;
                -- @section replica-identity
                CALL _bemi_set_replica_identity();
                -- @end
                """;

        assertThatThrownBy(() -> RunbookSql.parse(text))
                .isInstanceOf(RunbookSqlException.class)
                .hasMessageContaining("publication")
                .hasMessageContaining("line 3");
    }

    private List<String> publicTablesTheProcedureWouldAlter() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("""
                     SELECT tablename FROM pg_tables LEFT JOIN pg_class ON relname = tablename
                     WHERE schemaname = 'public' AND relkind != 'f' AND relreplident != 'f'
                     """)) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private String replicaIdentity(String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT relreplident::text FROM pg_catalog.pg_class WHERE oid = CAST(? AS regclass)")) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private boolean queryBoolean(String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    private static void execute(Connection target, String sql) throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.execute(sql);
        }
    }
}
