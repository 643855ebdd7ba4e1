package io.cdcenabler.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.contract.TaskState;
import io.cdcenabler.handler.TestLambdaEndpoint;
import io.cdcenabler.rds.MaintenanceWindow;
import io.cdcenabler.registry.DynamoDbEnrolmentRegistry;
import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.registry.EnrolmentResult;
import io.cdcenabler.secrets.CdcSecretStore;
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
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/**
 * Executes statemachine/cdc-enabler.asl.json in aws-local-stepfunctions against the real handler classes (served by
 * {@link TestLambdaEndpoint}) over the RDS and Secrets Manager fakes and an embedded PostgreSQL 17: one database per
 * scenario, one server for the class. Waits and retry pauses are overridden to (near) zero. Each scenario prints its
 * state transitions and AWS calls, the figures that make up the cost of a run.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkflowExecutionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String VERSION = PostgresServers.newest();
    private static final Set<String> VISITED = ConcurrentHashMap.newKeySet();
    private static final Set<String> SCENARIOS_RUN = ConcurrentHashMap.newKeySet();
    private static final String WORKFLOW_ERROR = "io.cdcenabler.workflow.";

    private static TestLambdaEndpoint endpoint;
    private static LocalStepFunctions stepFunctions;

    private FakeRds rds;
    private FakeSecretsManager secrets;
    private FakeCloudWatch cloudWatch;
    private FakeDynamoDb dynamoDb;
    private EnrolmentRegistry registry;
    private TestDatabase db;
    private final String adminPassword = "adm-" + UUID.randomUUID();
    /** Wait states pause 0 ms: the handlers' clocks and the fakes decide what time it is. */
    private static final Map<String, Long> NO_WAITING = Map.of("WaitForStatus", 0L, "WaitForMaintenanceWindow", 0L);

    @BeforeAll
    static void startEndpoint() {
        endpoint = new TestLambdaEndpoint();
        stepFunctions = new LocalStepFunctions(endpoint.url(), TestLambdaEndpoint.substitutions());
    }

    @AfterAll
    static void stopEndpoint() {
        endpoint.close();
    }

    @AfterEach
    void noteScenario(TestInfo test) {
        test.getTestMethod().ifPresent(method -> SCENARIOS_RUN.add(method.getName()));
    }

    /** Checked once all scenarios ran: whether every grant is used only holds for the whole class. */
    @AfterAll
    static void eachHandlerCalledOnlyWhatItsRoleGrants_andNeededAllOfIt() {
        Map<TaskState, Set<String>> used = endpoint.sdkCalls().actions();
        System.out.println("IAM actions per handler: " + used);

        assertThat(HandlerPermissions.callsWithoutGrant(used)).as("calls outside the handler's role").isEmpty();
        if (HandlerPermissions.allScenariosRan(WorkflowExecutionTest.class, SCENARIOS_RUN)) {
            assertThat(HandlerPermissions.grantsWithoutCall(used, TaskState.Workflow.ENROLMENT.taskStates()
                    .stream().filter(state -> state != TaskState.PREPARE_UPGRADE).toList()))
                    .as("grants no scenario needed (PrepareUpgrade: UpgradeExecutionTest)").isEmpty();
        }
    }

    @BeforeEach
    void freshAccountAndDatabase() {
        rds = FakeRdsWorld.standard();
        secrets = new FakeSecretsManager();
        cloudWatch = new FakeCloudWatch();
        dynamoDb = new FakeDynamoDb(ResourceNames.REGISTRY_TABLE_NAME);
        registry = new DynamoDbEnrolmentRegistry(dynamoDb, ResourceNames.REGISTRY_TABLE_NAME);
        db = PostgresServers.freshDatabase(VERSION);
        db.sql("CREATE SCHEMA sales",
                "CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.order_lines (order_id int, sku text)",
                "CREATE TABLE public.events (payload text)",
                "CREATE TABLE sales.invoices (id int PRIMARY KEY, total numeric)");
        // The superuser is trusted by pg_hba.conf, so the master secret's password logs in; it must stay secret.
        String master = AdminSecretJson.of("postgres", adminPassword);
        rds.instance("orders-db").masterSecret(secrets.seed("rds!db-orders-" + UUID.randomUUID(), master));
        rds.instance("billing-db").masterSecret(secrets.seed("rds!db-billing-" + UUID.randomUUID(), master));
        rds.cluster("orders-aurora").masterSecret(secrets.seed("rds!cluster-aurora-" + UUID.randomUUID(), master));
        rds.cluster("orders-maz").masterSecret(secrets.seed("rds!cluster-maz-" + UUID.randomUUID(), master));
        endpoint.serve(new TestLambdaEndpoint.Fakes(rds, secrets, cloudWatch, dynamoDb), FakeRdsWorld.DEFAULTS, Clock.systemUTC(),
                db.url());
    }

    @Test
    @Order(1)
    void newInstanceOnADefaultGroup_createsTheGroup_rebootsOnce_provisionsAndVerifies() {
        Execution run = run("new instance (event), default group", event("rds-event-instance-created.json"));

        assertThat(run.succeeded()).as(run.error() + " " + run.cause()).isTrue();
        assertThat(run.output().path("result").asText()).isEqualTo("READY");
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo("cdc-enabler-orders-db-postgres16");
        assertThat(rds.dbParameterGroup("cdc-enabler-orders-db-postgres16").values())
                .containsEntry("rds.logical_replication", "1");
        assertThat(rds.instance("orders-db").reboots()).isEqualTo(1);
        assertThat(run.statesEntered()).containsSubsequence("DescribeTarget", "EnsureParameterGroup", "Reboot",
                "WaitForStatus", "CheckStatus", "ReadCredentials", "Provision", "Verify", "ReportReady");
        assertThat(run.statesEntered()).as("RDS shows the new group and pending-reboot late (FakeRds applies "
                        + "asynchronously): the first Reboot does not reboot, the status loop comes back to it")
                .containsSubsequence("Reboot", "WaitForStatus", "CheckStatus", "IsReady", "Reboot", "WaitForStatus");
        assertThat(run.lastOutputOf("Reboot").path("reboot").path("rebooted").asBoolean()).isTrue();
        assertProvisioned(run, "orders-db", "bemi");
        assertThat(run.output().path("checks").toString()).doesNotContain("FAIL");
        assertThat(run.events()).filteredOn(e -> "StateEntered".equals(e.path("type").asText())
                        && "Task".equals(e.path("stateType").asText()))
                .as("every step gets the execution's name for its log lines")
                .allMatch(e -> e.path("input").path("execution").path("name").asText().startsWith("test-"));
    }

    @Test
    void alreadyEnabled_secondRunChangesNothingAndDoesNotReboot() {
        run("first run", event("rds-event-instance-created.json"));
        String rdsAfterFirst = rds.snapshot();
        Map<String, String> secretsAfterFirst = secrets.snapshot();

        Execution again = run("already enabled (event delivered again)", event("rds-event-instance-created.json"));

        assertThat(again.output().path("result").asText()).isEqualTo("READY");
        assertThat(again.output().path("changed").asInt()).isZero();
        assertThat(again.statesEntered()).doesNotContain("Reboot", "WaitForStatus");
        assertThat(rds.totalReboots()).isEqualTo(1);
        assertThat(rds.snapshot()).isEqualTo(rdsAfterFirst);
        assertThat(secrets.snapshot()).isEqualTo(secretsAfterFirst);
    }

    @Test
    void anOpenBlueGreenDeployment_isReportedInVerifysChecks_andTheRunStillEndsReady() {
        rds.addBlueGreenDeployment("bgd-open", "orders-db", "orders-db-green", "AVAILABLE");

        Execution run = run("ready with an open Blue/Green deployment", event("rds-event-instance-created.json"));

        assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause()).isEqualTo("READY");
        assertThat(run.output().path("checks").toString()).contains("WARN blue/green deployment",
                "bgd-open (AVAILABLE)", "cannot be a logical publisher");
    }

    @Test
    void readyDatabase_isRecordedInTheRegistry_andARerunMovesOnlyLastVerifiedAndTheVersion() {
        Execution first = run("registry: first run", event("rds-event-instance-created.json"));
        assertThat(registry.list()).hasSize(1);
        Enrolment recorded = registry.list().get(0);
        Enrolment.Key key = recorded.key();
        assertThat(key.identifier()).isEqualTo("orders-db");

        assertThat(first.output().path("result").asText()).as(first.error() + " " + first.cause()).isEqualTo("READY");
        assertThat(first.statesEntered()).containsSubsequence("EnsureAlarms", "RecordEnrolment", "ReportReady");
        assertThat(first.output().path("enrolment").path("result").asText()).isEqualTo("READY");
        assertThat(recorded.lastResult()).isEqualTo(EnrolmentResult.READY);
        assertThat(recorded.kind()).isEqualTo(Enrolment.TargetKind.INSTANCE);
        assertThat(recorded.parameterGroupName()).isEqualTo(rds.instance("orders-db").parameterGroup());
        assertThat(recorded.cdcSecretArn()).isEqualTo(first.output().path("cdcSecretArn").asText()).isNotBlank();
        assertThat(recorded.request().publication()).isEqualTo("bemi");
        assertThat(recorded.request().source()).isEqualTo("aws.rds:RDS-EVENT-0005");
        assertThat(recorded.lastVerified()).isNotNull();
        assertThat(recorded.drift()).isEmpty();
        assertThat(dynamoDb.scan(r -> r.tableName(ResourceNames.REGISTRY_TABLE_NAME).consistentRead(true)).items().toString())
                .as("no secret in the registry").contains("orders-db").doesNotContain(adminPassword);

        run("registry: second run", event("rds-event-instance-created.json"));
        Enrolment again = registry.find(key).orElseThrow();

        assertThat(again.version()).isEqualTo(recorded.version() + 1);
        assertThat(again.lastVerified()).isAfterOrEqualTo(recorded.lastVerified());
        assertThat(again.enrolledAt()).isEqualTo(recorded.enrolledAt());
        assertThat(new Enrolment(again.request(), again.kind(), again.identifier(), again.database(),
                again.cdcSecretArn(), again.parameterGroupName(), again.engineVersion(), again.enrolledAt(),
                recorded.lastVerified(), again.lastResult(), again.lastError(), again.drift(), recorded.version()))
                .as("only lastVerified and the version moved").isEqualTo(recorded);
        assertThat(registry.list()).hasSize(1);
    }

    @Test
    void onAReadyDatabase_aNewRetentionCapIsAppliedImmediately_andNeverReboots() {
        Execution first = run("first run (event), default cap", event("rds-event-instance-created.json"));
        assertThat(first.output().path("result").asText()).as(first.error() + " " + first.cause()).isEqualTo("READY");
        String group = rds.instance("orders-db").parameterGroup();
        assertThat(rds.dbParameterGroup(group).values()).as("20 % of orders-db's 100 GiB")
                .containsEntry("max_slot_wal_keep_size", "20480");
        assertThat(rds.totalReboots()).isEqualTo(1);

        Execution capped = run("only the retention cap changes", json("""
                {"instanceIdentifier": "orders-db", "maxSlotWalKeepSize": "50GB"}"""));
        Execution off = run("the retention cap turned off", json("""
                {"instanceIdentifier": "orders-db", "maxSlotWalKeepSize": "off"}"""));

        for (Execution run : List.of(capped, off)) {
            assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause()).isEqualTo("READY");
            assertThat(run.statesEntered()).doesNotContain("Reboot");
            assertThat(run.output().path("parameterGroup").path("rebootRequired").asBoolean()).isFalse();
        }
        assertThat(capped.lastOutputOf("EnsureParameterGroup").path("parameterGroup").path("parameterGroupName")
                .asText()).isEqualTo(group);
        assertThat(rds.dbParameterGroup(group).values()).containsEntry("max_slot_wal_keep_size", "-1")
                .containsEntry("rds.logical_replication", "1");
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo(group);
        assertThat(rds.instance("orders-db").applyStatus()).as("immediate: never pending-reboot").isEqualTo("in-sync");
        assertThat(rds.totalReboots()).as("only the first run's reboot").isEqualTo(1);
        assertThat(rds.calls("ModifyDBParameterGroup")).as("the first run's group, then one change per run")
                .isEqualTo(3);
    }

    @Test
    void readyDatabase_getsItsGuardrailAlarms_andASecondRunWritesNoAlarm_andMakesNoDuplicate() {
        Execution first = run("alarms: first run", event("rds-event-instance-created.json"));
        Map<String, Integer> callsAfterFirst = alarmCalls();
        Map<String, String> alarmsAfterFirst = alarmSnapshot();

        Execution again = run("alarms: second run", event("rds-event-instance-created.json"));

        Set<String> names = Set.of("ReplicationSlotDiskUsage", "OldestReplicationSlotLag",
                "TransactionLogsDiskUsage", "FreeStorageSpace").stream()
                .map(metric -> "cdc-enabler/instance/orders-db/" + metric).collect(java.util.stream.Collectors.toSet());
        assertThat(first.output().path("result").asText()).as(first.error() + " " + first.cause()).isEqualTo("READY");
        assertThat(first.statesEntered()).containsSubsequence("Verify", "EnsureAlarms", "ReportReady");
        assertThat(MAPPER.convertValue(first.output().path("alarms").path("created"), Set.class)).isEqualTo(names);
        assertThat(cloudWatch.alarms().keySet()).isEqualTo(names);
        assertThat(callsAfterFirst).containsEntry("PutMetricAlarm", 4).containsEntry("DeleteAlarms", 0);
        for (String name : names) {
            assertThat(cloudWatch.alarms().get(name).alarmActions()).containsExactly(TestLambdaEndpoint.ALARM_TOPIC_ARN);
            assertThat(cloudWatch.tagsOf(name)).containsEntry("managed-by", "cdc-enabler")
                    .containsEntry("cdc-enabler:target", "instance/orders-db");
        }
        assertThat(again.output().path("alarms").path("created").size()).isZero();
        assertThat(again.output().path("alarms").path("updated").size()).isZero();
        assertThat(MAPPER.convertValue(again.output().path("alarms").path("unchanged"), Set.class)).isEqualTo(names);
        assertThat(alarmSnapshot()).as("the second run leaves the alarms as they were").isEqualTo(alarmsAfterFirst);
        Map<String, Integer> secondRun = new java.util.TreeMap<>();
        alarmCalls().forEach((operation, count) -> secondRun.put(operation, count - callsAfterFirst.get(operation)));
        System.out.println("CloudWatch calls of a re-run: " + secondRun);
        assertThat(secondRun).as("a re-run only reads: one DescribeAlarms page, the tags of none")
                .containsEntry("PutMetricAlarm", 0).containsEntry("DeleteAlarms", 0)
                .containsEntry("DescribeAlarms", 1);
    }

    @Test
    void alarmChangedByHand_isPutBack_aRetiredOneOfOursIsDeleted_andSomeoneElsesIsLeftAlone() {
        run("alarms: first run", event("rds-event-instance-created.json"));
        String prefix = "cdc-enabler/instance/orders-db/";
        MetricAlarm free = cloudWatch.alarms().get(prefix + "FreeStorageSpace");
        cloudWatch.putMetricAlarm(copy(free, free.alarmName(), free.threshold() * 2, false));
        cloudWatch.putMetricAlarm(copy(free, prefix + "RetiredMetric", free.threshold(), true));
        cloudWatch.putMetricAlarm(copy(free, prefix + "TeamOwnAlarm", free.threshold(), false));

        Execution again = run("alarms: drifted", event("rds-event-instance-created.json"));

        JsonNode alarms = again.output().path("alarms");
        assertThat(again.output().path("result").asText()).as(again.error() + " " + again.cause()).isEqualTo("READY");
        assertThat(alarms.path("updated").toString()).contains(prefix + "FreeStorageSpace");
        assertThat(alarms.path("deleted").toString()).contains(prefix + "RetiredMetric");
        assertThat(alarms.path("foreign").toString()).contains(prefix + "TeamOwnAlarm");
        assertThat(cloudWatch.alarms().get(prefix + "FreeStorageSpace").threshold()).isEqualTo(free.threshold());
        assertThat(cloudWatch.alarms()).doesNotContainKey(prefix + "RetiredMetric").containsKey(prefix + "TeamOwnAlarm")
                .hasSize(5);
    }

    /** {@code alarm} as a PutMetricAlarm request under {@code name}, tagged as ours or not. */
    private static PutMetricAlarmRequest copy(MetricAlarm alarm, String name, double threshold, boolean ours) {
        return PutMetricAlarmRequest.builder().alarmName(name).alarmDescription(alarm.alarmDescription())
                .actionsEnabled(true).alarmActions(alarm.alarmActions()).okActions(alarm.okActions())
                .namespace(alarm.namespace()).metricName(alarm.metricName()).dimensions(alarm.dimensions())
                .statistic(alarm.statisticAsString()).comparisonOperator(alarm.comparisonOperatorAsString())
                .threshold(threshold).period(alarm.period()).evaluationPeriods(alarm.evaluationPeriods())
                .datapointsToAlarm(alarm.datapointsToAlarm()).treatMissingData(alarm.treatMissingData())
                .tags(ours ? List.of(Tag.builder().key("managed-by").value("cdc-enabler").build()) : List.of())
                .build();
    }

    @Test
    void verifyFails_theRunFailsWithTheNamedError_andNoAlarmIsCreated() {
        endpoint.afterNextRun("Provision", () -> db.sql("DROP PUBLICATION bemi"));

        Execution run = run("verify fails: no alarms", event("rds-event-instance-created.json"));

        assertThat(run.succeeded()).isFalse();
        assertThat(run.error()).isEqualTo(WORKFLOW_ERROR + "VerificationFailedException");
        assertThat(run.statesEntered()).endsWith("Verify", "Failed").doesNotContain("EnsureAlarms");
        assertThat(cloudWatch.alarms()).isEmpty();
    }

    private int cloudWatchCalls() {
        return alarmCalls().values().stream().mapToInt(Integer::intValue).sum();
    }

    private Map<String, Integer> alarmCalls() {
        Map<String, Integer> calls = new java.util.TreeMap<>();
        for (String operation : Set.of("DescribeAlarms", "PutMetricAlarm", "DeleteAlarms", "ListTagsForResource")) {
            calls.put(operation, cloudWatch.calls(operation));
        }
        return calls;
    }

    private Map<String, String> alarmSnapshot() {
        Map<String, String> snapshot = new java.util.TreeMap<>();
        cloudWatch.alarms().forEach((name, alarm) -> snapshot.put(name, alarm.toString() + cloudWatch.tagsOf(name)));
        return snapshot;
    }

    @Test
    void sharedCustomGroup_isModifiedInPlace_andTheInstancesSharingItAreReported() {
        Execution run = run("shared custom group", event("manual-shared-group.json"));

        assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause()).isEqualTo("READY");
        assertThat(run.output().path("parameterGroup").path("parameterGroupName").asText()).isEqualTo("shared-pg16");
        assertThat(run.output().path("parameterGroup").path("sharedWith").toString()).contains("reporting-db");
        assertThat(rds.dbParameterGroup("shared-pg16").values()).containsEntry("rds.logical_replication", "1")
                .containsEntry("max_slot_wal_keep_size", "10240");
        assertThat(rds.instance("billing-db").reboots()).isEqualTo(1);
        assertThat(rds.instance("reporting-db").reboots()).isZero();
    }

    @Test
    void copyParameterGroup_copiesTheCustomInstanceAndClusterGroups_andLeavesTheOriginalsAsTheyWere() {
        rds.addClusterParameterGroup("aurora-custom", "aurora-postgresql16", Map.of("work_mem", "8192"));
        rds.useClusterParameterGroup("orders-aurora", "aurora-custom");

        Execution instance = run("custom group copied (instance)", event("manual-shared-group-copy.json"));
        Execution cluster = run("custom group copied (Aurora cluster)", json("""
                {"clusterIdentifier": "orders-aurora", "copyParameterGroup": true,
                 "maxSlotWalKeepSize": "10GB"}"""));

        assertThat(instance.output().path("result").asText()).as(instance.error() + " " + instance.cause())
                .isEqualTo("READY");
        assertThat(cluster.output().path("result").asText()).as(cluster.error() + " " + cluster.cause())
                .isEqualTo("READY");
        assertThat(rds.instance("billing-db").parameterGroup()).startsWith("cdc-enabler-billing-db-");
        assertThat(rds.dbParameterGroup(rds.instance("billing-db").parameterGroup()).values())
                .containsEntry("log_min_duration_statement", "500").containsEntry("rds.logical_replication", "1");
        assertThat(rds.dbParameterGroup("shared-pg16").values()).doesNotContainKey("rds.logical_replication");
        assertThat(rds.cluster("orders-aurora").parameterGroup()).startsWith("cdc-enabler-orders-aurora-");
        assertThat(rds.clusterParameterGroup(rds.cluster("orders-aurora").parameterGroup()).values())
                .containsEntry("work_mem", "8192").containsEntry("max_slot_wal_keep_size", "10240");
        assertThat(rds.clusterParameterGroup("aurora-custom").values()).doesNotContainKey("rds.logical_replication");
        assertThat(rds.instance("reporting-db").reboots()).isZero();
    }

    @Test
    void auroraCluster_setsTheClusterGroup_rebootsOnlyTheWriter_andProvisionsTheSelectedTables() {
        Execution run = run("Aurora cluster (writer's event)", event("rds-event-aurora-writer-created.json"));
        assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause()).isEqualTo("READY");

        Execution selected = run("Aurora cluster, SELECTED_TABLES", event("manual-aurora-cluster.json"));

        assertThat(selected.output().path("result").asText()).isEqualTo("READY");
        assertThat(selected.output().path("topology").asText()).isEqualTo("AURORA_CLUSTER");
        assertThat(rds.instance("orders-aurora-1").reboots()).isEqualTo(1);
        assertThat(rds.instance("orders-aurora-2").reboots()).isZero();
        assertThat(db.rows("SELECT schemaname || '.' || tablename FROM pg_publication_tables "
                + "WHERE pubname = 'orders_cdc' ORDER BY 1")).containsExactly("public.order_lines", "public.orders");
        assertThat(cloudWatch.alarms().keySet()).as("one set of alarms for the cluster, on its writer role")
                .isNotEmpty().allMatch(name -> name.startsWith("cdc-enabler/cluster/orders-aurora/"));
        assertThat(cloudWatch.alarms().values()).allSatisfy(alarm -> assertThat(alarm.dimensions().toString())
                .contains("DBClusterIdentifier", "orders-aurora", "Role", "WRITER"));
    }

    @Test
    void multiAzDbCluster_rebootsTheClusterOnce() {
        Execution run = run("Multi-AZ DB cluster", event("manual-multi-az-cluster.json"));

        assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause()).isEqualTo("READY");
        assertThat(run.output().path("topology").asText()).isEqualTo("MULTI_AZ_CLUSTER");
        assertThat(rds.cluster("orders-maz").reboots()).isEqualTo(1);
        assertThat(rds.calls("RebootDBCluster")).isEqualTo(1);
        assertThat(rds.calls("RebootDBInstance")).isZero();
        assertThat(run.output().path("alarms").path("skipped").asBoolean()).isTrue();
        assertThat(run.output().path("alarms").path("skipReason").asText()).contains("Multi-AZ DB cluster");
        assertThat(cloudWatch.alarms()).isEmpty();
    }

    @Test
    void rebootPolicyNone_endsWithRebootPending_andAfterTheOperatorsRebootARunCompletes() {
        Execution run = run("reboot policy NONE", event("manual-instance-reboot-none.json"));

        assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause())
                .isEqualTo("REBOOT_PENDING");
        assertThat(run.output().path("message").asText()).contains("reboot-db-instance", "orders-db");
        assertThat(rds.totalReboots()).isZero();
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
        assertThat(registry.listFor("orders-db")).hasSize(1);
        Enrolment pending = registry.listFor("orders-db").get(0);
        Enrolment.Key key = pending.key();
        assertThat(pending.lastResult()).as("recorded, so reconciliation finishes it after the reboot")
                .isEqualTo(EnrolmentResult.DRIFT_PENDING_REBOOT);
        assertThat(pending.lastVerified()).isNull();
        assertThat(pending.drift()).singleElement().asString().contains("reboot", "pending");
        assertThat(pending.request().rebootPolicy()).hasToString("NONE");

        rds.rebootDBInstance(r -> r.dbInstanceIdentifier("orders-db"));
        Execution after = run("after the operator's reboot", event("manual-instance-reboot-none.json"));

        assertThat(after.output().path("result").asText()).isEqualTo("READY");
        assertThat(rds.totalReboots()).isEqualTo(1);
        Enrolment ready = registry.find(key).orElseThrow();
        assertThat(ready.lastResult()).isEqualTo(EnrolmentResult.READY);
        assertThat(ready.drift()).isEmpty();
        assertThat(ready.enrolledAt()).isEqualTo(pending.enrolledAt());
        assertThat(ready.cdcSecretArn()).isNotBlank();
    }

    @Test
    void nextMaintenanceWindow_waitsUntilTheWindowStarts_thenRebootsOnce() {
        Instant windowStart = MaintenanceWindow.parse("sun:05:00-sun:05:30")
                .nextStart(Instant.now().plus(Duration.ofDays(1)));
        // The handlers' clock stands a minute before the window until the first Reboot has run, then in the window,
        // as after the Wait state's real wait (overridden to 0 ms here); no race with the machine's speed.
        SettableClock clock = new SettableClock(windowStart.minus(Duration.ofMinutes(1)));
        endpoint.serve(new TestLambdaEndpoint.Fakes(rds, secrets, cloudWatch, dynamoDb), FakeRdsWorld.DEFAULTS, clock, db.url());
        endpoint.afterNextRunWhoseOutputContains("Reboot", "\"waitUntil\":\"", () -> clock.set(windowStart.plusSeconds(1)));

        Execution run = run("reboot policy NEXT_MAINTENANCE_WINDOW", event("manual-instance-maintenance-window.json"));

        assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause()).isEqualTo("READY");
        assertThat(run.statesEntered()).containsSubsequence("Reboot", "WaitForMaintenanceWindow", "Reboot",
                "WaitForStatus");
        JsonNode firstReboot = run.events().stream()
                .filter(e -> "StateExited".equals(e.path("type").asText()) && "Reboot".equals(e.path("state").asText()))
                .filter(e -> e.path("output").path("reboot").hasNonNull("waitUntil"))
                .findFirst().orElseThrow().path("output").path("reboot");
        assertThat(firstReboot.path("rebooted").asBoolean()).isFalse();
        assertThat(Instant.parse(firstReboot.path("waitUntil").asText())).isEqualTo(windowStart);
        assertThat(rds.instance("orders-db").reboots()).isEqualTo(1);
    }

    @Test
    void newInstanceStillBackingUp_theGroupIsAttachedOnceItIsAvailable_withoutSpendingRetries() {
        rds.instance("orders-db").status("backing-up");
        endpoint.afterNextRun("EnsureParameterGroup", () -> rds.instance("orders-db").status("available"));

        Execution run = run("new instance still backing-up", event("rds-event-instance-created.json"));

        assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause()).isEqualTo("READY");
        assertThat(run.statesEntered()).containsSubsequence("EnsureParameterGroup", "IsRebootRequired",
                "WaitForParameterGroup", "EnsureParameterGroup", "IsRebootRequired", "Reboot");
        assertThat(run.retries()).isZero();
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo("cdc-enabler-orders-db-postgres16");
        assertThat(rds.instance("orders-db").reboots()).isEqualTo(1);
    }

    @Test
    void throttlingIsRetried_andTheRunSucceeds() {
        rds.failNext("DescribeDBInstances", FakeRds.throttling());
        rds.failNext("DescribeDBInstances", FakeRds.throttling());
        rds.failNext("RebootDBInstance", FakeRds.throttling());
        secrets.throttleNextCalls(1);

        Execution run = run("throttled RDS and Secrets Manager", event("rds-event-instance-created.json"));

        assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause()).isEqualTo("READY");
        assertThat(run.retries()).isGreaterThanOrEqualTo(3);
        assertThat(rds.instance("orders-db").reboots()).isEqualTo(1);
    }

    @Test
    void instanceStoppedWhileWaiting_failsWithTerminalStatus() {
        endpoint.afterNextRun("Reboot", () -> rds.instance("orders-db").status("stopped"));

        Execution run = run("instance stopped while waiting", event("rds-event-instance-created.json"));

        assertThat(run.succeeded()).isFalse();
        assertThat(run.error()).isEqualTo(WORKFLOW_ERROR + "TerminalStatusException");
        assertThat(run.cause()).contains("orders-db is stopped");
        assertThat(run.statesEntered()).endsWith("CheckStatus", "Failed");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    @Test
    void statusThatNeverSettles_failsWithWaitTimeoutAfterTheConfiguredChecks() {
        endpoint.afterNextRun("Reboot", () -> rds.instance("orders-db").status("modifying"));

        Execution run = run("wait limit reached", event("manual-instance-short-wait.json"));

        assertThat(run.error()).isEqualTo(WORKFLOW_ERROR + "WaitTimeoutException");
        assertThat(run.cause()).contains("after 3 status checks");
        assertThat(run.statesEntered().stream().filter("CheckStatus"::equals).count()).isEqualTo(3);
    }

    @Test
    void functionsThatAreNotActiveYet_areRetriedUntilTheyAre_andTheRunSucceeds() {
        endpoint.answerNextCallsWith("DescribeTarget", "Lambda.SnapStartNotReadyException", 2);
        endpoint.answerNextCallsWith("EnsureParameterGroup", "Lambda.ResourceNotReadyException", 1);
        endpoint.answerNextCallsWith("Provision", "Lambda.CodeArtifactUserPendingException", 1);
        endpoint.answerNextCallsWith("Verify", "Lambda.ClientExecutionTimeoutException", 1);

        Execution run = run("functions inactive (14 days idle)", event("rds-event-instance-created.json"));

        assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause()).isEqualTo("READY");
        assertThat(run.retries()).isGreaterThanOrEqualTo(5);
        assertThat(rds.instance("orders-db").reboots()).isEqualTo(1);
    }

    @Test
    void anIdentifierInAnotherCase_isTheSameDatabase_oneCdcSecret_andThePasswordIsKept() {
        Execution first = run("event for orders-db", event("rds-event-instance-created.json"));
        String secretArn = first.output().path("cdcSecretArn").asText();
        String secretBefore = secrets.currentSecretString(secretArn);

        Execution mixedCase = run("manual run for Orders-DB", json("{\"instanceIdentifier\": \"Orders-DB\"}"));

        assertThat(mixedCase.output().path("result").asText()).as(mixedCase.error() + " " + mixedCase.cause())
                .isEqualTo("READY");
        assertThat(mixedCase.output().path("cdcSecretArn").asText()).isEqualTo(secretArn);
        assertThat(mixedCase.output().path("changed").asInt()).isZero();
        assertThat(secrets.secretNames()).filteredOn(name -> name.startsWith(CdcSecretStore.NAME_PREFIX))
                .containsExactly(CdcSecretStore.NAME_PREFIX + "orders-db/orders/cdc_reader");
        assertThat(secrets.currentSecretString(secretArn)).isEqualTo(secretBefore);
        assertThat(secrets.versionCount(secretArn)).isEqualTo(1);
        assertThat(rds.totalReboots()).isEqualTo(1);
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void twoExecutionsAtOnce_convergeToOneReboot_oneSecret_onePublication_tenTimesInARow() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= 10; round++) {
                if (round > 1) {
                    freshAccountAndDatabase();
                }
                JsonNode input = event("rds-event-instance-created.json");
                Future<Execution> a = pool.submit(() -> stepFunctions.run(input, NO_WAITING, 0));
                Future<Execution> b = pool.submit(() -> stepFunctions.run(input, NO_WAITING, 0));
                Execution first = a.get(5, TimeUnit.MINUTES);
                Execution second = b.get(5, TimeUnit.MINUTES);
                VISITED.addAll(first.statesEntered());
                VISITED.addAll(second.statesEntered());
                System.out.printf("concurrent round %2d: %s / %s, reboots=%d, retries=%d+%d%n", round,
                        outcome(first), outcome(second), rds.totalReboots(), first.retries(), second.retries());

                String context = "round " + round + ": " + outcome(first) + " / " + outcome(second);
                assertThat(rds.totalReboots()).as(context).isEqualTo(1);
                assertThat(secrets.secretNames()).as(context)
                        .filteredOn(name -> name.startsWith(CdcSecretStore.NAME_PREFIX)).hasSize(1);
                assertThat(db.value("SELECT count(*) FROM pg_publication")).as(context).isEqualTo("1");
                assertThat(cloudWatch.alarms()).as(context + ": one alarm per metric, however the runs interleave")
                        .hasSize(4);
                assertThat(first.succeeded()).as(context).isTrue();
                assertThat(second.succeeded()).as(context).isTrue();
                assertThat(first.output().path("result").asText()).as(context).isEqualTo("READY");
                assertThat(second.output().path("result").asText()).as(context).isEqualTo("READY");
                assertThat(second.output().path("cdcSecretArn").asText()).as(context)
                        .isEqualTo(first.output().path("cdcSecretArn").asText());
                assertProvisioned(first, "orders-db", "bemi");
                assertCdcSecretLogsIn(first.output().path("cdcSecretArn").asText());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String outcome(Execution execution) {
        return execution.succeeded() ? execution.output().path("result").asText()
                : "FAILED " + execution.error() + ": " + execution.cause();
    }

    /** The stored CDC password is the role's: it logs in. */
    private void assertCdcSecretLogsIn(String secretArn) throws Exception {
        JsonNode secret = json(secrets.currentSecretString(secretArn));
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(db.url(),
                secret.path("username").asText(), secret.path("password").asText())) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    @Test
    void nonPostgresEvent_isSkippedWithTheReason_andTouchesNothing() {
        String before = rds.snapshot();
        int secretsCallsBefore = secrets.calls();

        Execution run = run("MySQL instance event", event("rds-event-mysql-created.json"));

        assertThat(run.output().path("result").asText()).isEqualTo("SKIPPED");
        assertThat(run.output().path("reason").asText()).contains("mysql");
        assertThat(run.statesEntered()).containsExactly("RecordExecutionName", "DescribeTarget", "IsSkipped",
                "ReportSkipped");
        assertThat(rds.snapshot()).isEqualTo(before);
        assertThat(secrets.calls()).isEqualTo(secretsCallsBefore);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "manual-bad-unknown-field.json, InvalidInputException, unknown field [rebootPolcy]",
            "manual-bad-table-name.json,    InvalidInputException, unterminated double quote",
            "manual-bad-mysql.json,         NotPostgresException,  mysql"})
    void badManualInput_failsAtDescribeTargetWithItsNamedError_andChangesNothing(String file, String error,
                                                                                String named) {
        String before = rds.snapshot();

        Execution run = run("bad input " + file, event(file));

        assertThat(run.error()).isEqualTo(WORKFLOW_ERROR + error);
        assertThat(run.cause()).contains(named);
        assertThat(run.statesEntered()).containsExactly("RecordExecutionName", "DescribeTarget", "Failed");
        assertThat(rds.snapshot()).isEqualTo(before);
        assertThat(rds.calls("ModifyDBInstance") + rds.calls("RebootDBInstance")).isZero();
    }

    @Test
    void missingAdminSecret_failsWithTheNamedErrorBeforeTheDatabaseIsTouched() {
        rds.instance("orders-db").masterSecret(
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-deleted-AbCdEf");

        Execution run = run("master secret deleted", event("rds-event-instance-created.json"));

        assertThat(run.error()).isEqualTo(WORKFLOW_ERROR + "InvalidSecretException");
        assertThat(run.cause()).contains("rds!db-deleted", "does not exist");
        assertThat(run.statesEntered()).endsWith("ReadCredentials", "Failed");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
        assertThat(secrets.secretNames()).noneMatch(name -> name.startsWith(CdcSecretStore.NAME_PREFIX));
    }

    @ParameterizedTest(name = "failed at {0}")
    @ValueSource(strings = {"DescribeTarget", "EnsureParameterGroup", "Reboot", "CheckStatus", "ReadCredentials",
            "Provision", "Verify", "EnsureAlarms"})
    void runFailedAtAStep_runAgain_convergesToTheSameEndAsOneCleanRun(String step) {
        endpoint.failNextAfterRun(step, "Sandbox.Timedout");

        Execution failed = run("failed after " + step + " ran", event("rds-event-instance-created.json"));
        Execution again = run("run again after " + step, event("rds-event-instance-created.json"));
        Execution third = run("third run after " + step, event("rds-event-instance-created.json"));

        assertThat(failed.error()).isEqualTo("Sandbox.Timedout");
        assertThat(failed.statesEntered()).endsWith(step, "Failed");
        assertThat(again.output().path("result").asText()).as(again.error() + " " + again.cause()).isEqualTo("READY");
        assertThat(rds.instance("orders-db").reboots()).isEqualTo(1);
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo("cdc-enabler-orders-db-postgres16");
        assertProvisioned(again, "orders-db", "bemi");
        assertThat(secrets.versionCount(again.output().path("cdcSecretArn").asText())).isEqualTo(1);
        assertThat(third.output().path("changed").asInt()).isZero();
        assertThat(third.statesEntered()).doesNotContain("Reboot");
        assertThat(cloudWatch.alarms()).as("one alarm per metric, whichever step the first run died after")
                .hasSize(4);
        assertThat(third.output().path("alarms").path("unchanged").size()).isEqualTo(4);
    }

    /**
     * Checked after all scenarios, whatever order they ran in. When the class runs filtered (-Dtest=...#one), not
     * every scenario ran and the check says so instead of failing on states the filter left out.
     */
    @AfterAll
    static void everyStateOfTheDefinitionIsVisitedBySomeScenario() throws IOException {
        Set<String> scenarios = new TreeSet<>();
        for (Method method : WorkflowExecutionTest.class.getDeclaredMethods()) {
            if ((method.isAnnotationPresent(Test.class) || method.isAnnotationPresent(ParameterizedTest.class))
                    && !method.isAnnotationPresent(Disabled.class)) {
                scenarios.add(method.getName());
            }
        }
        if (!SCENARIOS_RUN.containsAll(scenarios)) {
            System.out.printf("state coverage not checked: %d of %d scenarios ran%n", SCENARIOS_RUN.size(),
                    scenarios.size());
            return;
        }
        Set<String> states = new LinkedHashSet<>();
        MAPPER.readTree(LocalStepFunctions.DEFINITION.toFile()).path("States").fieldNames()
                .forEachRemaining(states::add);
        states.removeAll(UpgradeExecutionTest.UPGRADE_BRANCH);

        assertThat(new TreeSet<>(VISITED)).as("states visited by the scenarios of this class").containsAll(states);
    }

    private Execution run(String scenario, JsonNode input) {
        int rdsBefore = rds.calls();
        int secretsBefore = secrets.calls();
        int cloudWatchBefore = cloudWatchCalls();
        Execution execution = stepFunctions.run(input, NO_WAITING, 0);
        VISITED.addAll(execution.statesEntered());
        int rdsCalls = rds.calls() - rdsBefore;
        int secretsCalls = secrets.calls() - secretsBefore;
        int cloudWatchCalls = cloudWatchCalls() - cloudWatchBefore;
        System.out.printf("%-46s %-14s transitions=%3d  AWS calls=%3d (RDS %2d, Secrets Manager %2d, CloudWatch %2d)"
                        + "  retries=%d%n", scenario,
                execution.succeeded() ? execution.output().path("result").asText() : "FAILED",
                execution.transitions(), rdsCalls + secretsCalls + cloudWatchCalls, rdsCalls, secretsCalls,
                cloudWatchCalls, execution.retries());
        assertThat(execution.everything()).as("no secret value in any state's input or output")
                .doesNotContain(adminPassword);
        for (String name : secrets.secretNames()) {
            if (name.startsWith(CdcSecretStore.NAME_PREFIX)) {
                String password = json(secrets.currentSecretString(name)).path("password").asText();
                assertThat(execution.everything()).doesNotContain(password);
            }
        }
        return execution;
    }

    private void assertProvisioned(Execution run, String identifier, String publication) {
        String secretArn = run.output().path("cdcSecretArn").asText();
        assertThat(secretArn).contains(CdcSecretStore.NAME_PREFIX + identifier + "/");
        JsonNode secret = json(secrets.currentSecretString(secretArn));
        assertThat(secret.path("username").asText()).isEqualTo("cdc_reader");
        assertThat(db.value("SELECT count(*) FROM pg_publication WHERE pubname = '" + publication + "'"))
                .isEqualTo("1");
        assertThat(db.replicaIdentity("public.events")).isEqualTo("f");
        assertThat(db.value("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'cdc_reader'")).isEqualTo("t");
    }

    private static JsonNode event(String name) {
        return json(FakeRdsWorld.event(name));
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A clock a test moves by hand. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
