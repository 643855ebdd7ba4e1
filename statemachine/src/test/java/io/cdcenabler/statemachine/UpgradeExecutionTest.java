package io.cdcenabler.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.contract.TaskState;
import io.cdcenabler.handler.TestLambdaEndpoint;
import io.cdcenabler.postgres.decoding.ColumnValue;
import io.cdcenabler.postgres.decoding.PgOutputDecoder;
import io.cdcenabler.postgres.decoding.RowChange;
import io.cdcenabler.registry.DynamoDbEnrolmentRegistry;
import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.registry.EnrolmentResult;
import io.cdcenabler.statemachine.LocalStepFunctions.Child;
import io.cdcenabler.statemachine.LocalStepFunctions.Execution;
import io.cdcenabler.testing.AdminSecretJson;
import io.cdcenabler.testing.FakeCloudWatch;
import io.cdcenabler.testing.FakeDynamoDb;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.testing.FakeSecretsManager;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A major version upgrade end to end, both ways, with two embedded majors standing in for before (17) and after
 * (18): the enrolment definition run with the input {@code prepareUpgrade} (the real PrepareUpgrade handler over
 * FakeRds and the PostgreSQL 17 database), then the upgrade itself ({@link PgUpgradeStandIn} carries the database to
 * PostgreSQL 18 as pg_upgrade would, FakeRds moves the instance to 18.1 on the group the printed command names, or on
 * the default group), then the reconcile definition on RDS-EVENT-0268, whose repair is the real enrolment run as the
 * child execution against the PostgreSQL 18 database. Proven by effect: the group, the trigger, the replica identity
 * of the table the application created meanwhile, and a logical slot on 18 read as the CDC user showing complete old
 * rows.
 */
class UpgradeExecutionTest {
    /** The states of the enrolment definition only prepare-upgrade visits; the scenarios here visit each of them. */
    static final Set<String> UPGRADE_BRANCH = Set.of("PrepareUpgrade", "IsUpgradeBlocked", "ReportUpgradeBlocked",
            "ReportUpgradePrepared");
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BEFORE = PostgresServers.versions().stream().filter(v -> v.startsWith("17."))
            .findFirst().orElseThrow(() -> new IllegalStateException("the suite runs no PostgreSQL 17: "
                    + PostgresServers.versions()));
    private static final String AFTER = PostgresServers.newest();
    private static final Set<String> SCENARIOS_RUN = ConcurrentHashMap.newKeySet();
    private static final Set<String> VISITED = ConcurrentHashMap.newKeySet();
    private static final Map<String, Long> NO_WAITING = Map.of("WaitForStatus", 0L, "WaitForMaintenanceWindow", 0L);
    private static final String ENROLMENT_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:cdc-enabler";
    private static final String OLD_GROUP = "cdc-enabler-orders-db-postgres17";
    private static final String NEW_GROUP = "cdc-enabler-orders-db-postgres18";
    private static final String OUR_TRIGGERS = "SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'cdc_enabler%'";
    private static final String HOLD = "SELECT coalesce(obj_description(oid, 'pg_namespace'), '(none)') FROM pg_namespace "
            + "WHERE nspname = 'cdc_enabler'";
    private static final List<String> APPLICATION_DDL = List.of(
            "CREATE SCHEMA sales",
            "CREATE TABLE public.orders (id int PRIMARY KEY, status text, note text)",
            "CREATE TABLE public.events (payload text)",
            "CREATE TABLE sales.invoices (id int PRIMARY KEY, total numeric)");
    /** What the application creates after prepare-upgrade dropped our trigger, before the upgrade ran. */
    private static final String MEANWHILE = "CREATE TABLE public.refunds (id int PRIMARY KEY, order_id int, amount "
            + "numeric, reason text)";

    private static TestLambdaEndpoint endpoint;
    private static LocalStepFunctions enrolment;
    private static LocalStepFunctions reconcile;

    private FakeRds rds;
    private FakeSecretsManager secrets;
    private FakeDynamoDb dynamoDb;
    private TestLambdaEndpoint.Fakes fakes;
    private EnrolmentRegistry registry;
    private TestDatabase before;
    private final String adminPassword = "adm-" + UUID.randomUUID();

    @BeforeAll
    static void startEndpoint() {
        endpoint = new TestLambdaEndpoint();
        enrolment = new LocalStepFunctions(endpoint.url(), TestLambdaEndpoint.substitutions());
        Map<String, String> substitutions = new LinkedHashMap<>(
                TestLambdaEndpoint.substitutions(TaskState.Workflow.RECONCILE));
        substitutions.put("EnrolmentStateMachineArn", ENROLMENT_ARN);
        reconcile = new LocalStepFunctions(endpoint.url(), LocalStepFunctions.RECONCILE, substitutions,
                Map.of("Repair", new Child(LocalStepFunctions.DEFINITION, TestLambdaEndpoint.substitutions(), true),
                        "RebootInWindow", new Child(LocalStepFunctions.DEFINITION,
                                TestLambdaEndpoint.substitutions(), false)));
    }

    @AfterAll
    static void stopEndpoint() {
        Map<TaskState, Set<String>> used = endpoint.sdkCalls().actions();
        System.out.println("IAM actions per handler (upgrade): " + used);
        endpoint.close();
        assertThat(HandlerPermissions.callsWithoutGrant(used)).as("calls outside the handler's role").isEmpty();
        if (HandlerPermissions.allScenariosRan(UpgradeExecutionTest.class, SCENARIOS_RUN)) {
            assertThat(HandlerPermissions.grantsWithoutCall(used, List.of(TaskState.PREPARE_UPGRADE)))
                    .as("PrepareUpgrade grants no scenario needed").isEmpty();
            assertThat(VISITED).as("every state only prepare-upgrade visits").containsAll(UPGRADE_BRANCH);
        }
    }

    @AfterEach
    void noteScenario(TestInfo test) {
        test.getTestMethod().ifPresent(method -> SCENARIOS_RUN.add(method.getName()));
    }

    @BeforeEach
    void anEnrolledDatabaseOnPostgres17() {
        rds = FakeRdsWorld.standard();
        rds.upgradeEngine("orders-db", "17.6");
        secrets = new FakeSecretsManager();
        dynamoDb = new FakeDynamoDb(ResourceNames.REGISTRY_TABLE_NAME);
        registry = new DynamoDbEnrolmentRegistry(dynamoDb, ResourceNames.REGISTRY_TABLE_NAME);
        before = PostgresServers.freshDatabase(BEFORE);
        before.sql(APPLICATION_DDL.toArray(String[]::new));
        before.sql("INSERT INTO public.orders VALUES (1, 'new', 'first'), (2, 'paid', 'second')",
                "INSERT INTO sales.invoices VALUES (1, 10.5)");
        rds.instance("orders-db").masterSecret(secrets.seed("rds!db-orders-" + UUID.randomUUID(),
                AdminSecretJson.of("postgres", adminPassword)));
        fakes = new TestLambdaEndpoint.Fakes(rds, secrets, new FakeCloudWatch(), dynamoDb);
        serve(before);
        reconcile.existingExecutionNames(List.of());
        Execution enrolled = run("enrol orders-db on 17", json(FakeRdsWorld.event("manual-instance.json")));
        assertThat(enrolled.output().path("result").asText()).as(enrolled.cause()).isEqualTo("READY");
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo(OLD_GROUP);
        assertThat(before.value(OUR_TRIGGERS)).isEqualTo("1");
    }

    private void serve(TestDatabase database) {
        endpoint.serve(fakes, FakeRdsWorld.DEFAULTS, Clock.systemUTC(), database.url());
    }

    @Test
    void prepareUpgrade_thenTheUpgradeOnThePreparedGroup_event0268_endsReadyOnPostgres18() {
        Execution prepared = run("prepareUpgrade to 18", prepare("18", false));

        JsonNode report = prepared.output();
        assertThat(report.path("result").asText()).as(prepared.cause() + " " + report).isEqualTo("UPGRADE_PREPARED");
        assertThat(report.path("engineVersion").asText()).isEqualTo("18.1");
        assertThat(report.path("parameterGroup").path("groupName").asText()).isEqualTo(NEW_GROUP);
        assertThat(report.path("command").asText()).contains("aws rds modify-db-instance",
                "--db-instance-identifier orders-db", "--engine-version 18.1", "--allow-major-version-upgrade",
                "--db-parameter-group-name " + NEW_GROUP);
        assertThat(report.path("blockers").size()).isZero();
        assertThat(report.path("trigger").asText()).isEqualTo("DROPPED");
        assertThat(report.path("notes").toString()).contains("no enrolment or reconciliation recreates");
        assertThat(before.value(HOLD)).as("the hold on our schema").contains("upgrade to PostgreSQL 18");
        assertThat(rds.dbParameterGroup(NEW_GROUP).family()).isEqualTo("postgres18");
        assertThat(rds.dbParameterGroup(NEW_GROUP).values()).containsEntry("rds.logical_replication", "1")
                .containsAllEntriesOf(rds.dbParameterGroup(OLD_GROUP).values());
        assertThat(rds.instance("orders-db").parameterGroup()).as("prepare-upgrade attaches nothing")
                .isEqualTo(OLD_GROUP);
        assertThat(before.value(OUR_TRIGGERS)).isEqualTo("0");
        assertThat(prepared.statesEntered()).doesNotContain("EnsureParameterGroup", "Reboot", "RecordEnrolment");
        int reboots = rds.totalReboots();

        // The application goes on: its DML works, and it creates a table while no trigger keeps identities FULL.
        before.sql("UPDATE public.orders SET status = 'shipped' WHERE id = 1", MEANWHILE,
                "INSERT INTO public.refunds VALUES (1, 2, 3.5, 'damaged')");
        assertThat(before.replicaIdentity("public.refunds")).isEqualTo("d");

        TestDatabase after = upgradeTo18(NEW_GROUP);
        Execution repaired = reconcile("upgrade finished on the prepared group (RDS-EVENT-0268)",
                json(FakeRdsWorld.event("lifecycle/instance-0268-major-upgrade-finished.json")));

        assertThat(repaired.output().path("totals").path("REPAIRED").asInt()).as(repaired.output().toString())
                .isEqualTo(1);
        assertThat(repaired.output().path("lines").get(0).asText()).contains("EVENT_TRIGGER", "REPLICA_IDENTITY");
        assertThat(after.value(OUR_TRIGGERS)).as("the trigger is back on 18").isEqualTo("1");
        assertThat(after.value(HOLD)).as("the hold is cleared on 18").isEqualTo("(none)");
        assertThat(after.replicaIdentity("public.refunds")).as("the table created meanwhile").isEqualTo("f");
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo(NEW_GROUP);
        assertThat(rds.totalReboots()).as("the prepared group needs no reboot after the upgrade").isEqualTo(reboots);
        Enrolment record = registry.listFor("orders-db").get(0);
        assertThat(record.engineVersion()).isEqualTo("18.1");
        assertThat(record.parameterGroupName()).isEqualTo(NEW_GROUP);
        assertThat(record.lastResult()).isEqualTo(EnrolmentResult.REPAIRED);

        Execution next = reconcile("the next reconciliation on 18", json("{}"));
        assertThat(next.output().path("lines").toString()).isEqualTo("[\"orders-db/orders READY\"]");
        assertCompleteOldRowsOn(after, record);
    }

    @Test
    void prepareUpgrade_thenAnUpgradeThatNamedNoGroup_landsOnTheDefault_andIsRepairedOntoThePreparedGroup() {
        Execution prepared = run("prepareUpgrade to 18", prepare("18", false));
        assertThat(prepared.output().path("result").asText()).as(prepared.cause()).isEqualTo("UPGRADE_PREPARED");
        int reboots = rds.totalReboots();
        before.sql(MEANWHILE, "INSERT INTO public.refunds VALUES (1, 2, 3.5, 'damaged')");

        TestDatabase after = upgradeTo18(null);
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo("default.postgres18");
        Execution repaired = reconcile("upgrade landed on default.postgres18 (RDS-EVENT-0268)",
                json(FakeRdsWorld.event("lifecycle/instance-0268-major-upgrade-finished.json")));

        assertThat(repaired.output().path("totals").path("REPAIRED").asInt()).as(repaired.output().toString())
                .isEqualTo(1);
        assertThat(repaired.output().path("lines").get(0).asText()).contains("PARAMETER_GROUP", "EVENT_TRIGGER");
        assertThat(rds.instance("orders-db").parameterGroup()).as("the group prepare-upgrade created")
                .isEqualTo(NEW_GROUP);
        assertThat(rds.totalReboots()).as("policy IMMEDIATE: one reboot applies the group").isEqualTo(reboots + 1);
        assertThat(after.value(OUR_TRIGGERS)).isEqualTo("1");
        assertThat(after.replicaIdentity("public.refunds")).isEqualTo("f");
        Execution next = reconcile("the next reconciliation on 18", json("{}"));
        assertThat(next.output().path("lines").toString()).isEqualTo("[\"orders-db/orders READY\"]");
        assertCompleteOldRowsOn(after, registry.listFor("orders-db").get(0));
    }

    @Test
    void aDryRun_changesNothing_andARunAgainAfterTheRealOne_changesNothingMore() {
        String rdsBefore = rds.snapshot();

        Execution dry = run("prepareUpgrade dry run", prepare("18", true));

        assertThat(dry.output().path("result").asText()).as(dry.cause()).isEqualTo("UPGRADE_PREPARED");
        assertThat(dry.output().path("dryRun").asBoolean()).isTrue();
        assertThat(dry.output().path("trigger").asText()).isEqualTo("WOULD_DROP");
        assertThat(dry.output().path("parameterGroup").path("change").asText()).isEqualTo("CREATE");
        assertThat(rds.snapshot()).isEqualTo(rdsBefore);
        assertThat(before.value(OUR_TRIGGERS)).isEqualTo("1");

        run("prepareUpgrade", prepare("18.1", false));
        String rdsPrepared = rds.snapshot();
        Execution again = run("prepareUpgrade again", prepare("18", false));

        assertThat(again.output().path("parameterGroup").path("change").asText()).isEqualTo("NONE");
        assertThat(again.output().path("trigger").asText()).isEqualTo("ABSENT");
        assertThat(rds.snapshot()).isEqualTo(rdsPrepared);
    }

    @Test
    void theApplicationsOwnEventTrigger_isABlocker_UPGRADE_BLOCKED_andItKeepsWorking() {
        before.sql("CREATE TABLE public.ddl_log (tag text)",
                "CREATE FUNCTION public.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "INSERT INTO public.ddl_log VALUES (tg_tag); END $$",
                "CREATE EVENT TRIGGER app_ddl_log ON ddl_command_end EXECUTE FUNCTION public.log_ddl()");

        Execution blocked = run("prepareUpgrade with the app's event trigger", prepare("18", false));

        assertThat(blocked.output().path("result").asText()).as(blocked.cause()).isEqualTo("UPGRADE_BLOCKED");
        assertThat(blocked.output().path("blockers").toString()).contains("EVENT_TRIGGER", "app_ddl_log");
        assertThat(blocked.output().path("command").asText()).contains(NEW_GROUP);
        assertThat(before.rows("SELECT evtname FROM pg_event_trigger")).containsExactly("app_ddl_log");
        before.sql("CREATE TABLE public.after_prepare (id int)");
        assertThat(before.rows("SELECT tag FROM public.ddl_log")).contains("CREATE TABLE");
    }

    @Test
    void anUpgradeThatRolledBack_event0270_getsTheTriggerBack_onTheSameMajor() {
        run("prepareUpgrade to 18", prepare("18", false));
        assertThat(before.value(OUR_TRIGGERS)).isEqualTo("0");
        before.sql(MEANWHILE);

        Execution repaired = reconcile("upgrade rolled back (RDS-EVENT-0270)",
                json(FakeRdsWorld.event("lifecycle/instance-0270-upgrade-rolled-back.json")));

        assertThat(repaired.output().path("totals").path("REPAIRED").asInt()).as(repaired.output().toString())
                .isEqualTo(1);
        assertThat(before.value(OUR_TRIGGERS)).isEqualTo("1");
        assertThat(before.value(HOLD)).as("the rollback released the hold").isEqualTo("(none)");
        assertThat(before.replicaIdentity("public.refunds")).isEqualTo("f");
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo(OLD_GROUP);
        Enrolment record = registry.listFor("orders-db").get(0);
        assertThat(record.request().releaseUpgradeHold()).as("the release is not recorded").isFalse();
    }

    @Test
    void betweenPrepareUpgradeAndTheUpgrade_reconciliationAndEnrolmentKeepTheTriggerAway_butCatchUpNewTables() {
        run("prepareUpgrade to 18", prepare("18", false));
        before.sql(MEANWHILE, "INSERT INTO public.refunds VALUES (1, 2, 3.5, 'damaged')");

        Execution daily = reconcile("daily run while the upgrade is prepared", json("{}"));

        assertThat(daily.output().path("totals").path("REPAIRED").asInt()).as(daily.output().toString())
                .isEqualTo(1);
        assertThat(daily.output().path("lines").get(0).asText()).contains("REPLICA_IDENTITY", "UPGRADE_HOLD")
                .doesNotContain("EVENT_TRIGGER:");
        assertThat(before.replicaIdentity("public.refunds")).as("the new table is caught up").isEqualTo("f");
        assertThat(before.value(OUR_TRIGGERS)).as("the trigger stays away for the upgrade").isEqualTo("0");

        Execution enrolled = run("enrolment while the upgrade is prepared",
                json(FakeRdsWorld.event("manual-instance.json")));
        assertThat(enrolled.output().path("result").asText()).isEqualTo("READY");
        assertThat(enrolled.output().path("checks").toString()).contains("WARN event trigger",
                "held for the major version upgrade to PostgreSQL 18");
        assertThat(before.value(OUR_TRIGGERS)).isEqualTo("0");

        Execution again = reconcile("the next daily run, still prepared", json("{}"));
        assertThat(again.output().path("lines").get(0).asText()).startsWith("orders-db/orders READY")
                .contains("UPGRADE_HOLD");

        TestDatabase after = upgradeTo18(NEW_GROUP);
        Execution upgraded = reconcile("upgrade finished (RDS-EVENT-0268)",
                json(FakeRdsWorld.event("lifecycle/instance-0268-major-upgrade-finished.json")));
        assertThat(upgraded.output().path("lines").get(0).asText()).contains("REPAIRED", "EVENT_TRIGGER");
        assertThat(after.value(OUR_TRIGGERS)).isEqualTo("1");
        assertThat(after.value(HOLD)).isEqualTo("(none)");
    }

    @Test
    void anAuroraCluster_getsAClusterGroupOfTheNewFamily_andACommandNamingItAndTheInstanceGroup() {
        String master = AdminSecretJson.of("postgres", adminPassword);
        rds.addAuroraCluster("ledger-aurora", "17.6", "ledger-aurora-1").tag(FakeRdsWorld.TAG_KEY, "true")
                .dbName("orders").masterSecret(secrets.seed("rds!cluster-ledger-" + UUID.randomUUID(), master));

        Execution prepared = run("prepareUpgrade of an Aurora cluster", json(
                "{\"clusterIdentifier\": \"ledger-aurora\", \"prepareUpgrade\": {\"targetVersion\": \"18\"}}"));

        assertThat(prepared.output().path("result").asText()).as(prepared.cause()).isEqualTo("UPGRADE_PREPARED");
        String group = prepared.output().path("parameterGroup").path("groupName").asText();
        assertThat(group).isEqualTo("cdc-enabler-ledger-aurora-aurora-postgresql18");
        assertThat(rds.clusterParameterGroup(group).values()).containsEntry("rds.logical_replication", "1");
        assertThat(prepared.output().path("command").asText()).contains("aws rds modify-db-cluster",
                "--db-cluster-parameter-group-name " + group,
                "--db-instance-parameter-group-name default.aurora-postgresql18");
        assertThat(rds.cluster("ledger-aurora").parameterGroup()).isEqualTo("default.aurora-postgresql17");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "not above the current major; {\"targetVersion\": \"17\"}; prepareUpgrade.targetVersion 17 is not above",
        "a major RDS does not offer; {\"targetVersion\": \"19\"}; is not an upgrade target RDS offers",
        "no version; {\"targetVersion\": \"eighteen\"}; prepareUpgrade.targetVersion must be",
        "a number, not a string; {\"targetVersion\": 18}; prepareUpgrade.targetVersion must be a string",
        "a misspelt option; {\"targetVersion\": \"18\", \"dryrun\": true}; unknown field [dryrun] in prepareUpgrade",
        "not an object; \"18\"; prepareUpgrade must be an object",
        "no targetVersion; {}; prepareUpgrade.targetVersion must be"})
    void badInput_failsNamingTheField_andChangesNothing(String problem, String options, String message) {
        String rdsBefore = rds.snapshot();

        Execution failed = enrolment.run(json("{\"instanceIdentifier\": \"orders-db\", \"prepareUpgrade\": "
                + options + "}"), NO_WAITING, 0);
        VISITED.addAll(failed.statesEntered());

        assertThat(failed.succeeded()).as(problem).isFalse();
        assertThat(failed.error()).isEqualTo("io.cdcenabler.workflow.InvalidInputException");
        assertThat(failed.cause()).contains(message).contains("nothing was changed");
        assertThat(rds.snapshot()).isEqualTo(rdsBefore);
        assertThat(before.value(OUR_TRIGGERS)).isEqualTo("1");
        assertThat(failed.statesEntered()).doesNotContain("EnsureParameterGroup");
    }

    /** RDS runs pg_upgrade into PostgreSQL 18 and moves the instance to 18.1 on {@code group} (null: the default). */
    private TestDatabase upgradeTo18(String group) {
        TestDatabase after = PostgresServers.freshDatabase(AFTER);
        List<String> ddl = new ArrayList<>(APPLICATION_DDL);
        if (before.value("SELECT to_regclass('public.refunds')") != null) {
            ddl.add(MEANWHILE);
        }
        PgUpgradeStandIn.upgrade(before, after, ddl, "cdc_reader");
        assertThat(after.rows("SELECT status FROM public.orders ORDER BY id")).hasSize(2);
        if (group == null) {
            rds.upgradeEngine("orders-db", "18.1");
        } else {
            rds.upgradeEngine("orders-db", "18.1", group);
        }
        serve(after);
        return after;
    }

    /** A slot on the upgraded database, read as the CDC user with its stored password, shows complete old rows. */
    private void assertCompleteOldRowsOn(TestDatabase after, Enrolment record) {
        JsonNode secret = json(secrets.getSecretValue(r -> r.secretId(record.cdcSecretArn())).secretString());
        String slot = "upgrade_proof_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection cdc = after.connect(secret.path("username").asText(), secret.path("password").asText());
             Statement statement = cdc.createStatement()) {
            statement.execute("SELECT pg_catalog.pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            try {
                after.sql("UPDATE public.orders SET status = 'refunded' WHERE id = 2",
                        "UPDATE public.refunds SET amount = 4 WHERE id = 1",
                        "CREATE TABLE public.after_upgrade (id int PRIMARY KEY, v text)",
                        "INSERT INTO public.after_upgrade VALUES (1, 'a')",
                        "DELETE FROM public.after_upgrade WHERE id = 1");
                List<RowChange> changes = PgOutputDecoder.peekChanges(cdc, slot, record.request().publication())
                        .stream().filter(c -> c.kind() == RowChange.Kind.UPDATE || c.kind() == RowChange.Kind.DELETE)
                        .toList();
                assertThat(changes).extracting(RowChange::qualifiedTable)
                        .containsExactly("public.orders", "public.refunds", "public.after_upgrade");
                for (RowChange change : changes) {
                    assertThat(change.oldImage()).as(change.render()).isEqualTo(RowChange.OldImage.FULL);
                    assertThat(List.copyOf(change.oldRow().keySet())).as(change.render()).isEqualTo(after.rows(
                            "SELECT attname FROM pg_attribute WHERE attrelid = '" + change.qualifiedTable()
                                    + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"));
                    assertThat(change.oldRow().values()).noneMatch(v -> v == ColumnValue.UNCHANGED_TOAST);
                }
            } finally {
                statement.execute("SELECT pg_catalog.pg_drop_replication_slot('" + slot + "')");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the CDC user on 18: " + e.getMessage(), e);
        }
    }

    private static JsonNode prepare(String version, boolean dryRun) {
        return json("{\"instanceIdentifier\": \"orders-db\", \"database\": \"orders\", \"prepareUpgrade\": "
                + "{\"targetVersion\": \"" + version + "\", \"dryRun\": " + dryRun + "}}");
    }

    private Execution run(String scenario, JsonNode input) {
        int rdsBefore = rds.calls();
        long started = System.nanoTime();
        Execution run = enrolment.run(input, NO_WAITING, 0);
        VISITED.addAll(run.statesEntered());
        System.out.printf("%-52s %-18s transitions=%3d  RDS calls=%3d  %5d ms%n", scenario,
                run.succeeded() ? run.output().path("result").asText() : run.error(), run.transitions(),
                rds.calls() - rdsBefore, (System.nanoTime() - started) / 1_000_000);
        assertThat(run.succeeded()).as(run.error() + " " + run.cause()).isTrue();
        assertThat(run.everything()).as("no secret value in any state").doesNotContain(adminPassword);
        return run;
    }

    private Execution reconcile(String scenario, JsonNode input) {
        int rdsBefore = rds.calls();
        long started = System.nanoTime();
        Execution run = reconcile.run(input, NO_WAITING, 0);
        System.out.printf("%-52s %-40s transitions=%3d (children %3d)  RDS calls=%3d  %5d ms%n", scenario,
                run.succeeded() ? run.output().path("totals").toString() : run.error(), run.transitions(),
                run.childTransitions(), rds.calls() - rdsBefore, (System.nanoTime() - started) / 1_000_000);
        assertThat(run.succeeded()).as(run.error() + " " + run.cause()).isTrue();
        assertThat(run.everything()).as("no secret value in any state").doesNotContain(adminPassword);
        return run;
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
