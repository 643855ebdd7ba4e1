package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.cdcenabler.runbook.RunbookSql;
import io.cdcenabler.runbook.RunbookSql.OnError;
import io.cdcenabler.runbook.RunbookSql.Platform;
import io.cdcenabler.runbook.RunbookSql.ReadOnlyUser;
import io.cdcenabler.runbook.RunbookSql.StatementError;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ten measured defects of the manual runbook (facts.md), each run as one scenario twice: on a database set up
 * with the runbook's own SQL ({@link RunbookSql}), where the defect shows, and on a database provisioned by the
 * engine, where it must not. The lock-memory defect needs a server of its own: see {@link LockMemoryDefectTest}.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class RunbookDefectsTest {
    private static final RunbookSql RUNBOOK = RunbookSql.load();
    private static final String PUBLICATION = "bemi";
    private static final String PASSWORD = "Cdc-reader-pw1";
    private static final String NO_REPLICA_IDENTITY = "55000";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String UNDEFINED_FUNCTION = "42883";
    /** The runbook's per-table mode for one partitioned table, as facts.md describes it. */
    private static final String[] RUNBOOK_PER_TABLE_MODE = {
            "CREATE PUBLICATION " + PUBLICATION + " FOR TABLE measurements",
            "ALTER TABLE measurements REPLICA IDENTITY FULL"};

    @Parameter
    String version;

    TestDatabase runbookDb;
    TestDatabase oursDb;
    ExecutorService threads;

    @BeforeEach
    void freshDatabases() {
        runbookDb = PostgresServers.freshDatabase(version);
        oursDb = PostgresServers.freshDatabase(version);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void defect1_nameOnlyJoin_runbookAltersWrongSchema_oursAltersTracked() {
        both("CREATE SCHEMA other", "CREATE TABLE public.t (id int)", "CREATE TABLE other.t (id int PRIMARY KEY)");
        oursDb.sql("ALTER DATABASE " + oursDb.name() + " SET search_path = other, public");

        RunbookSql.Result runbook = runbook(runbookDb, "other, public",
                session -> RUNBOOK.installReplicaIdentity(session, OnError.CONTINUE));
        runbookDb.sql("SET search_path = other, public", "CALL _bemi_set_replica_identity()");
        ProvisioningResult ours = provision(spec().build());
        ProvisioningResult oursAgain = provision(spec().build());

        assertThat(runbook.errors()).isEmpty();
        assertThat(runbookDb.replicaIdentity("public.t")).isEqualTo("d");
        assertThat(runbookDb.replicaIdentity("other.t")).isEqualTo("f");
        assertThat(ours.changes()).contains(new Change("set REPLICA IDENTITY FULL on", "public.t"));
        assertThat(oursAgain.changes()).isEmpty();
        assertThat(oursDb.replicaIdentity("public.t")).isEqualTo("f");
        assertThat(oursDb.replicaIdentity("other.t")).isEqualTo("d");
    }

    @Test
    void defect1_searchPathWithoutPublic_runbookBreaksCreateTable_oursKeepsNewTablesFull() {
        both("CREATE SCHEMA other", "CREATE TABLE public.t (id int)", "CREATE TABLE other.t (id int PRIMARY KEY)");
        runbook(runbookDb, null, session -> RUNBOOK.installReplicaIdentity(session, OnError.CONTINUE));
        oursDb.sql("ALTER DATABASE " + oursDb.name() + " SET search_path = other");
        provision(spec().build());

        SQLException runbookTracked = sqlError(() -> runbookDb.sql("SET search_path = other",
                "CREATE TABLE public.late (id int)"));
        SQLException runbookUntracked = sqlError(() -> runbookDb.sql("SET search_path = other",
                "CREATE TABLE scratch (id int)"));
        oursDb.sql("CREATE TABLE public.late (id int)", "CREATE TABLE scratch (id int)");

        assertThat(runbookTracked.getSQLState()).isEqualTo(UNDEFINED_FUNCTION);
        assertThat(runbookTracked.getMessage()).contains("_bemi_set_replica_identity");
        assertThat(runbookUntracked.getSQLState()).isEqualTo(UNDEFINED_FUNCTION);
        assertThat(runbookDb.value("SELECT to_regclass('public.late') IS NULL")).isEqualTo("t");
        assertThat(oursDb.replicaIdentity("public.late")).isEqualTo("f");
        // 15+: FOR TABLES IN SCHEMA public does not publish schema other; 13: FOR ALL TABLES publishes it, and the
        // trigger keeps the new table there write-safe (FULL), as issue 8 asks.
        assertThat(oursDb.replicaIdentity("other.scratch")).isEqualTo(oursDb.major() >= 15 ? "d" : "f");
        assertThat(oursDb.replicaIdentity("public.t")).isEqualTo("f");
        assertThat(oursDb.replicaIdentity("other.t")).isEqualTo("d");
    }

    @Test
    void defect2_triggerCost_runbookRescansEveryTable_oursReadsConstantCatalogRows() {
        createTables(runbookDb, 1, 200);
        runbook(runbookDb, null, session -> RUNBOOK.installReplicaIdentity(session, OnError.CONTINUE));
        createTables(oursDb, 1, 200);
        provision(spec().build());

        long runbookAt200 = pgClassRowsReadByOneCreateTable(runbookDb);
        long oursAt200 = pgClassRowsReadByOneCreateTable(oursDb);
        createTablesWithoutTrigger(runbookDb, "_bemi_set_replica_identity_trigger", 201, 2_000);
        createTablesWithoutTrigger(oursDb, EventTriggerSql.TRIGGER, 201, 2_000);
        long runbookAt2000 = pgClassRowsReadByOneCreateTable(runbookDb);
        long oursAt2000 = pgClassRowsReadByOneCreateTable(oursDb);

        String readings = "pg_class rows read by one CREATE TABLE at 200 and 2,000 tables: runbook %d, %d; ours %d, %d"
                .formatted(runbookAt200, runbookAt2000, oursAt200, oursAt2000);
        assertThat(runbookAt2000).as(readings).isGreaterThanOrEqualTo(2_000);
        assertThat(runbookAt2000 - runbookAt200).as(readings).isGreaterThanOrEqualTo(1_800);
        assertThat(oursAt2000 - oursAt200).as(readings).isLessThanOrEqualTo(10);
        assertThat(oursAt2000).as(readings).isLessThan(100);
    }

    @Test
    void defect4_noLockTimeout_runbookWaitsAndQueuesReaders_oursTimesOutNamingTheTable() throws Exception {
        both("CREATE TABLE public.busy (id int)", "INSERT INTO public.busy VALUES (1)",
                "CREATE TABLE public.quiet_a (id int)", "CREATE TABLE public.quiet_b (id int)");
        LockPolicy shortTimeout = new LockPolicy(Duration.ofMillis(200), 500, 2, Duration.ofMillis(100));

        boolean runbookWaitedTwoSeconds;
        boolean readerQueuedTwoSeconds;
        RunbookSql.Result runbook;
        Duration runbookReaderWait;
        try (Connection holder = transactionThatRead(runbookDb, "public.busy");
             Connection session = runbookDb.connect()) {
            setStatementTimeout(session, "60s");
            Future<RunbookSql.Result> alter = threads.submit(
                    () -> RUNBOOK.installReplicaIdentity(session, OnError.CONTINUE));
            awaitWaitingLock(runbookDb, "public.busy", "AccessExclusiveLock");
            Future<Duration> reader = threads.submit(() -> timeToRead(runbookDb, "public.busy"));
            awaitWaitingLock(runbookDb, "public.busy", "AccessShareLock");
            Thread.sleep(2_000);
            runbookWaitedTwoSeconds = !alter.isDone()
                    && waitingLocks(runbookDb, "public.busy", "AccessExclusiveLock") == 1;
            readerQueuedTwoSeconds = !reader.isDone();
            holder.commit();
            runbook = alter.get(30, TimeUnit.SECONDS);
            runbookReaderWait = reader.get(30, TimeUnit.SECONDS);
        }
        Throwable ours;
        Duration oursLongestRead;
        try (Connection holder = transactionThatRead(oursDb, "public.busy")) {
            AtomicBoolean provisioning = new AtomicBoolean(true);
            Future<Duration> readers = threads.submit(() -> longestReadWhile(oursDb, "public.busy", provisioning));
            ours = catchThrowable(() -> provision(spec().lockPolicy(shortTimeout).build()));
            provisioning.set(false);
            oursLongestRead = readers.get(30, TimeUnit.SECONDS);
            assertThat(holder.isValid(1)).isTrue();
            holder.rollback();
        }

        assertThat(runbookWaitedTwoSeconds).isTrue();
        assertThat(readerQueuedTwoSeconds).isTrue();
        assertThat(runbookReaderWait).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(runbook.errors()).isEmpty();
        assertThat(ours).isInstanceOf(LockTimeoutException.class);
        assertThat(((LockTimeoutException) ours).tables()).containsExactly("public.busy");
        assertThat(oursDb.replicaIdentity("public.busy")).isEqualTo("d");
        assertThat(oursDb.replicaIdentity("public.quiet_a")).isEqualTo("f");
        assertThat(oursDb.replicaIdentity("public.quiet_b")).isEqualTo("f");
        assertThat(oursLongestRead).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void defect5_createTableAsAndSelectInto_runbookLeavesDefault_oursMakesFull() {
        both("CREATE TABLE public.source (id int PRIMARY KEY, note text)",
                "INSERT INTO public.source VALUES (1, 'a'), (2, 'b')");
        runbookAll(runbookDb);
        provision(spec().build());

        for (TestDatabase db : List.of(runbookDb, oursDb)) {
            db.sql("CREATE TABLE public.report AS SELECT id, note FROM public.source",
                    "SELECT id, note INTO public.snapshot FROM public.source");
        }
        SQLException runbookUpdate = sqlError(() -> runbookDb.sql("UPDATE public.report SET note = 'c'"));
        SQLException runbookDelete = sqlError(() -> runbookDb.sql("DELETE FROM public.snapshot"));
        oursDb.sql("UPDATE public.report SET note = 'c'", "DELETE FROM public.snapshot");

        assertThat(runbookDb.replicaIdentity("public.report")).isEqualTo("d");
        assertThat(runbookDb.replicaIdentity("public.snapshot")).isEqualTo("d");
        assertThat(runbookUpdate.getSQLState()).isEqualTo(NO_REPLICA_IDENTITY);
        assertThat(runbookUpdate.getMessage()).contains("does not have a replica identity");
        assertThat(runbookDelete.getSQLState()).isEqualTo(NO_REPLICA_IDENTITY);
        assertThat(oursDb.replicaIdentity("public.report")).isEqualTo("f");
        assertThat(oursDb.replicaIdentity("public.snapshot")).isEqualTo("f");
        assertThat(oursDb.value("SELECT string_agg(note, ',') FROM public.report")).isEqualTo("c,c");
    }

    @Test
    void defect6_otherSchemas_runbookCoversOnlyPublic_oursCoversTrackedSchemas() {
        both("CREATE SCHEMA app", "CREATE TABLE public.orders (id int)", "CREATE TABLE app.items (id int)",
                "INSERT INTO app.items VALUES (1)");
        runbookAll(runbookDb);
        provision(spec().schemas(List.of("public", "app")).build());

        SQLException runbookRead = sqlError(() -> selectAs(runbookDb, runbookUser(), "SELECT count(*) FROM app.items"));
        String oursRead = selectAs(oursDb, cdcUser(), "SELECT count(*) FROM app.items");
        both("CREATE TABLE app.later (id int)", "INSERT INTO app.later VALUES (1), (2)");
        SQLException runbookReadLater = sqlError(
                () -> selectAs(runbookDb, runbookUser(), "SELECT count(*) FROM app.later"));
        String oursReadLater = selectAs(oursDb, cdcUser(), "SELECT count(*) FROM app.later");

        assertThat(runbookDb.replicaIdentity("public.orders")).isEqualTo("f");
        assertThat(runbookDb.replicaIdentity("app.items")).isEqualTo("d");
        assertThat(runbookDb.replicaIdentity("app.later")).isEqualTo("d");
        assertThat(runbookRead.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
        assertThat(runbookReadLater.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
        assertThat(oursDb.replicaIdentity("app.items")).isEqualTo("f");
        assertThat(oursDb.replicaIdentity("app.later")).isEqualTo("f");
        assertThat(oursRead).isEqualTo("1");
        assertThat(oursReadLater).isEqualTo("2");
    }

    @Test
    void defect7_partitionsOutsidePublic_runbookMissesThem_oursMakesEveryLeafFull() {
        both("CREATE SCHEMA archive",
                "CREATE TABLE public.measurements (id int, at date, region text) PARTITION BY RANGE (at)",
                "CREATE TABLE archive.m2024 PARTITION OF public.measurements"
                        + " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE public.m2025 PARTITION OF public.measurements"
                        + " FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (region)",
                "CREATE TABLE archive.m2025_eu PARTITION OF public.m2025 FOR VALUES IN ('eu')",
                "INSERT INTO public.measurements VALUES (1, '2024-06-01', 'eu'), (2, '2025-06-01', 'eu')");
        runbookAll(runbookDb);
        provision(spec().build());

        both("CREATE TABLE archive.m2026 PARTITION OF public.measurements"
                        + " FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE TABLE archive.m2025_us PARTITION OF public.m2025 FOR VALUES IN ('us')",
                "CREATE TABLE archive.m2023 (id int, at date, region text) PARTITION BY LIST (region)",
                "CREATE TABLE archive.m2023_us PARTITION OF archive.m2023 FOR VALUES IN ('us')",
                "ALTER TABLE public.measurements ATTACH PARTITION archive.m2023"
                        + " FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')");
        SQLException runbookUpdate = sqlError(() -> runbookDb.sql("UPDATE public.measurements SET id = id"));
        oursDb.sql("UPDATE public.measurements SET id = id");

        List<String> leaves = List.of("archive.m2024", "archive.m2025_eu", "archive.m2026", "archive.m2025_us",
                "archive.m2023_us");
        assertThat(runbookDb.replicaIdentity("public.m2025")).isEqualTo("f");
        assertThat(leaves).allSatisfy(leaf -> assertThat(runbookDb.replicaIdentity(leaf)).as(leaf).isEqualTo("d"));
        assertThat(runbookUpdate.getSQLState()).isEqualTo(NO_REPLICA_IDENTITY);
        assertThat(leaves).allSatisfy(leaf -> assertThat(oursDb.replicaIdentity(leaf)).as(leaf).isEqualTo("f"));
    }

    @Test
    void defect7_partitionsOfTrackedTable_runbookFullOnParentOnly_oursMakesEveryLeafFull() {
        both("CREATE TABLE public.measurements (id int, at date, region text) PARTITION BY RANGE (at)",
                "CREATE TABLE public.m2024 PARTITION OF public.measurements"
                        + " FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE public.m2025 PARTITION OF public.measurements"
                        + " FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (region)",
                "CREATE TABLE public.m2025_eu PARTITION OF public.m2025 FOR VALUES IN ('eu')",
                "INSERT INTO public.measurements VALUES (1, '2024-06-01', 'eu'), (2, '2025-06-01', 'eu')",
                "CREATE TABLE public.m2023 (id int, at date, region text)");
        runbookDb.sql(RUNBOOK_PER_TABLE_MODE);
        provision(spec().trackingMode(TrackingMode.SELECTED_TABLES)
                .tables(List.of(TableName.parse("public.measurements"))).build());

        both("CREATE TABLE public.m2026 PARTITION OF public.measurements"
                        + " FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                "CREATE TABLE public.m2025_us PARTITION OF public.m2025 FOR VALUES IN ('us')",
                "ALTER TABLE public.measurements ATTACH PARTITION public.m2023"
                        + " FOR VALUES FROM ('2023-01-01') TO ('2024-01-01')");
        SQLException runbookUpdate = sqlError(() -> runbookDb.sql("UPDATE public.measurements SET id = id"));
        Throwable oursUpdate = catchThrowable(() -> oursDb.sql("UPDATE public.measurements SET id = id"));

        List<String> leaves = List.of("public.m2024", "public.m2025_eu", "public.m2026", "public.m2025_us",
                "public.m2023");
        assertThat(runbookDb.replicaIdentity("public.measurements")).isEqualTo("f");
        assertThat(leaves).allSatisfy(leaf -> assertThat(runbookDb.replicaIdentity(leaf)).as(leaf).isEqualTo("d"));
        assertThat(runbookUpdate.getSQLState()).isEqualTo(NO_REPLICA_IDENTITY);
        assertThat(List.of("public.m2024", "public.m2025_eu"))
                .allSatisfy(leaf -> assertThat(oursDb.replicaIdentity(leaf)).as("existing " + leaf).isEqualTo("f"));
        assertThat(List.of("public.m2026", "public.m2025_us", "public.m2023"))
                .allSatisfy(leaf -> assertThat(oursDb.replicaIdentity(leaf)).as("later " + leaf).isEqualTo("f"));
        assertThat(oursUpdate).isNull();
    }

    @Test
    void defect8_defaultPrivileges_runbookCoversOnlyItsOwnRole_oursLetsCdcReadOtherRolesTables() {
        String app = "app_" + oursDb.name();
        oursDb.sql("CREATE ROLE " + app);
        both("GRANT USAGE, CREATE ON SCHEMA public TO " + app, "CREATE TABLE public.orders (id int)");
        runbookAll(runbookDb);
        provision(spec().build());

        for (TestDatabase db : List.of(runbookDb, oursDb)) {
            db.sqlAs(app, "CREATE TABLE public.invoices (id int)", "INSERT INTO public.invoices VALUES (1)");
        }
        String runbookReadsOwn = selectAs(runbookDb, runbookUser(), "SELECT count(*) FROM public.orders");
        SQLException runbookReadsApp = sqlError(
                () -> selectAs(runbookDb, runbookUser(), "SELECT count(*) FROM public.invoices"));
        String oursReadsApp = selectAs(oursDb, cdcUser(), "SELECT count(*) FROM public.invoices");

        assertThat(runbookReadsOwn).isEqualTo("0");
        assertThat(runbookReadsApp.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
        assertThat(oursReadsApp).isEqualTo("1");
        assertThat(oursDb.replicaIdentity("public.invoices")).isEqualTo("f");
    }

    @Test
    void defect9_leftoverTableOfAnotherOwner_runbookBreaksCreateTable_oursLeavesItAlone() {
        String legacy = "legacy_" + oursDb.name();
        String app = "app_" + oursDb.name();
        oursDb.sql("CREATE ROLE " + legacy, "CREATE ROLE " + app);
        both("GRANT USAGE, CREATE ON SCHEMA public TO " + legacy + ", " + app);
        for (TestDatabase db : List.of(runbookDb, oursDb)) {
            db.sqlAs(legacy, "CREATE TABLE public.legacy (id int)");
        }
        runbookAll(runbookDb);
        provision(spec().build());
        for (TestDatabase db : List.of(runbookDb, oursDb)) {
            db.sqlAs(legacy, "ALTER TABLE public.legacy REPLICA IDENTITY DEFAULT");
        }

        SQLException runbookCreate = sqlError(() -> runbookDb.sqlAs(app, "CREATE TABLE public.orders (id int)"));
        oursDb.sqlAs(app, "CREATE TABLE public.orders (id int)");

        assertThat(runbookCreate.getSQLState()).isEqualTo(INSUFFICIENT_PRIVILEGE);
        assertThat(runbookCreate.getMessage()).contains("must be owner");
        assertThat(runbookDb.value("SELECT to_regclass('public.orders') IS NULL")).isEqualTo("t");
        assertThat(oursDb.replicaIdentity("public.orders")).isEqualTo("f");
        assertThat(oursDb.value("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'public.orders'::regclass"))
                .isEqualTo(app);
        // The legacy table has no primary key: its owner's ALTER ... DEFAULT would make its own UPDATE fail once
        // published, so the trigger (acting as that owner, on that table only) keeps it FULL (issue 8).
        assertThat(oursDb.replicaIdentity("public.legacy")).isEqualTo("f");
    }

    @Test
    void defect10_rerunAndSecondDatabase_runbookFails_oursIsIdempotent() {
        TestDatabase runbookSecondDb = PostgresServers.freshDatabase(version);
        TestDatabase oursSecondDb = PostgresServers.freshDatabase(version);
        for (TestDatabase db : List.of(runbookDb, runbookSecondDb, oursDb, oursSecondDb)) {
            db.sql("CREATE TABLE public.orders (id int PRIMARY KEY)");
        }
        RunbookSql.Result runbookFirst = runbookAll(runbookDb);
        ProvisioningSpec spec = spec().build();
        ProvisioningResult oursFirst = provision(spec);

        RunbookSql.Result runbookRerun = runbookAll(runbookDb);
        RunbookSql.Result runbookSecondDatabase = runbook(runbookSecondDb, null,
                session -> RUNBOOK.runAll(session, new ReadOnlyUser(Platform.SELF_MANAGED, runbookUser(), PASSWORD),
                        PUBLICATION, OnError.CONTINUE));
        ProvisioningResult oursRerun = provision(spec);
        ProvisioningResult oursSecondDatabase = new Provisioner(oursSecondDb.asSuperuser()).provision(spec);

        assertThat(runbookFirst.errors()).isEmpty();
        assertThat(runbookRerun.errors()).extracting(StatementError::sqlState).containsOnly(DUPLICATE_OBJECT);
        assertThat(runbookRerun.errors()).extracting(StatementError::firstLine).satisfiesExactly(
                line -> assertThat(line).startsWith("CREATE ROLE " + runbookUser()),
                line -> assertThat(line).startsWith("CREATE PUBLICATION " + PUBLICATION),
                line -> assertThat(line).startsWith("CREATE EVENT TRIGGER _bemi_set_replica_identity_trigger"));
        assertThat(runbookRerun.psqlExitStatus()).isZero();
        assertThat(runbookSecondDatabase.errors()).extracting(StatementError::firstLine)
                .singleElement().asString().startsWith("CREATE ROLE " + runbookUser());
        assertThat(oursFirst.changes()).isNotEmpty();
        assertThat(oursRerun.changes()).isEmpty();
        assertThat(oursSecondDatabase.changes()).isNotEmpty();
        assertThat(new Verifier(oursDb.asSuperuser()).verify(spec).failures()).isEmpty();
        assertThat(new Verifier(oursSecondDb.asSuperuser()).verify(spec).failures()).isEmpty();
        assertThat(selectAs(oursSecondDb, cdcUser(), "SELECT count(*) FROM public.orders")).isEqualTo("0");
    }

    private String runbookUser() {
        return "rb_" + runbookDb.name();
    }

    private String cdcUser() {
        return "cdc_" + oursDb.name();
    }

    private ProvisioningSpec.Builder spec() {
        return ProvisioningSpec.builder().publication(PUBLICATION).cdcUser(cdcUser()).cdcPassword(Secret.of(PASSWORD));
    }

    private ProvisioningResult provision(ProvisioningSpec spec) {
        return new Provisioner(oursDb.asSuperuser()).provision(spec);
    }

    private void both(String... statements) {
        runbookDb.sql(statements);
        oursDb.sql(statements);
    }

    /** The whole runbook (user, publication, replica identity) as psql runs it, without ON_ERROR_STOP. */
    private RunbookSql.Result runbookAll(TestDatabase db) {
        return runbook(db, null, session -> RUNBOOK.runAll(session,
                new ReadOnlyUser(Platform.SELF_MANAGED, runbookUser(), PASSWORD), PUBLICATION, OnError.CONTINUE));
    }

    /**
     * Runs a part of the runbook in a superuser session. SCRAM is set because the test server only accepts SCRAM
     * logins, and PostgreSQL 13 would otherwise store the runbook user's password as MD5.
     */
    private static RunbookSql.Result runbook(TestDatabase db, String searchPath,
                                             Function<Connection, RunbookSql.Result> part) {
        try (Connection session = db.connect(); Statement statement = session.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            if (searchPath != null) {
                statement.execute("SET search_path = " + searchPath);
            }
            return part.apply(session);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String selectAs(TestDatabase db, String user, String query) {
        try (Connection login = db.connect(user, PASSWORD); Statement statement = login.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static SQLException sqlError(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected an SQL error").isNotNull();
        Throwable cause = thrown instanceof SQLException ? thrown : thrown.getCause();
        assertThat(cause).as("cause of " + thrown).isInstanceOf(SQLException.class);
        return (SQLException) cause;
    }

    private static void createTables(TestDatabase db, int from, int to) {
        db.sql("""
                DO $$
                BEGIN
                  FOR i IN %d..%d LOOP
                    EXECUTE 'CREATE TABLE public.filler_' || i || ' (id int)';
                    EXECUTE 'ALTER TABLE public.filler_' || i || ' REPLICA IDENTITY FULL';
                    IF mod(i, 500) = 0 THEN
                      COMMIT;
                    END IF;
                  END LOOP;
                END
                $$""".formatted(from, to));
    }

    /** Fills in tables fast: the trigger under test would otherwise run for each of them. */
    private static void createTablesWithoutTrigger(TestDatabase db, String eventTrigger, int from, int to) {
        db.sql("ALTER EVENT TRIGGER " + eventTrigger + " DISABLE");
        createTables(db, from, to);
        db.sql("ALTER EVENT TRIGGER " + eventTrigger + " ENABLE");
    }

    /** Rows of pg_class one CREATE TABLE reads (sequentially or through an index), event triggers included. */
    private static long pgClassRowsReadByOneCreateTable(TestDatabase db) {
        try (Connection session = db.connect(); Statement statement = session.createStatement()) {
            session.setAutoCommit(false);
            long read = 0;
            // The first round fills the session's catalog caches; the second is the one measured.
            for (int round = 0; round < 2; round++) {
                long before = pgClassRowsRead(statement);
                statement.execute("CREATE TABLE public.probe (id int)");
                read = pgClassRowsRead(statement) - before;
                session.rollback();
            }
            return read;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static long pgClassRowsRead(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("""
                SELECT COALESCE(seq_tup_read, 0) + COALESCE(idx_tup_fetch, 0)
                FROM pg_catalog.pg_stat_xact_sys_tables WHERE relid = 'pg_catalog.pg_class'::regclass
                """)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** A connection whose open transaction has read the table, so it holds an AccessShareLock on it. */
    private static Connection transactionThatRead(TestDatabase db, String table) throws SQLException {
        Connection connection = db.connect();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("SELECT count(*) FROM " + table).close();
        }
        return connection;
    }

    private static void setStatementTimeout(Connection connection, String timeout) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = '" + timeout + "'");
        }
    }

    private static Duration timeToRead(TestDatabase db, String table) throws SQLException {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            setStatementTimeout(connection, "60s");
            long start = System.nanoTime();
            statement.executeQuery("SELECT count(*) FROM " + table).close();
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    private static Duration longestReadWhile(TestDatabase db, String table, AtomicBoolean running)
            throws SQLException {
        Duration longest = Duration.ZERO;
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            setStatementTimeout(connection, "60s");
            while (running.get()) {
                long start = System.nanoTime();
                statement.executeQuery("SELECT count(*) FROM " + table).close();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                longest = took.compareTo(longest) > 0 ? took : longest;
            }
        }
        return longest;
    }

    private static long waitingLocks(TestDatabase db, String table, String mode) {
        return Long.parseLong(db.value("""
                SELECT count(*) FROM pg_catalog.pg_locks
                WHERE database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
                  AND relation = '%s'::regclass AND mode = '%s' AND NOT granted
                """.formatted(table, mode)));
    }

    private static void awaitWaitingLock(TestDatabase db, String table, String mode) throws InterruptedException {
        await(() -> waitingLocks(db, table, mode) > 0, Duration.ofSeconds(15),
                "a session waiting for " + mode + " on " + table);
    }

    private static void await(BooleanSupplier condition, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited " + limit + " for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
