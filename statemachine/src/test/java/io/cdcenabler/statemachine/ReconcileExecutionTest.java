package io.cdcenabler.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.contract.TaskState;
import io.cdcenabler.handler.TestLambdaEndpoint;
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
import io.cdcenabler.workflow.RebootPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

/**
 * The reconcile definition in aws-local-stepfunctions against the real handlers over the fakes and an embedded
 * PostgreSQL: databases are enrolled by running the real enrolment definition, then drifted for real (in FakeRds or
 * in the database), then reconciled; a repair is the real enrolment definition run as the child execution
 * (startExecution.sync:2), so what is proven is the effect: the group, the replica identity, the trigger are back.
 */
class ReconcileExecutionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String VERSION = PostgresServers.newest();
    private static final Set<String> SCENARIOS_RUN = ConcurrentHashMap.newKeySet();
    private static final Map<String, Long> NO_WAITING = Map.of("WaitForStatus", 0L, "WaitForMaintenanceWindow", 0L);
    private static final String ENROLMENT_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:cdc-enabler";
    private static final String OUR_GROUP = "cdc-enabler-orders-db-postgres16";

    private static TestLambdaEndpoint endpoint;
    private static LocalStepFunctions enrolment;
    private static LocalStepFunctions reconcile;

    private FakeRds rds;
    private FakeSecretsManager secrets;
    private FakeDynamoDb dynamoDb;
    private EnrolmentRegistry registry;
    private TestDatabase db;
    private final String adminPassword = "adm-" + UUID.randomUUID();

    @BeforeAll
    static void startEndpoint() {
        endpoint = new TestLambdaEndpoint();
        enrolment = new LocalStepFunctions(endpoint.url(), TestLambdaEndpoint.substitutions());
        Map<String, String> substitutions = new LinkedHashMap<>(
                TestLambdaEndpoint.substitutions(TaskState.Workflow.RECONCILE));
        substitutions.put("EnrolmentStateMachineArn", ENROLMENT_ARN);
        Child repair = new Child(LocalStepFunctions.DEFINITION, TestLambdaEndpoint.substitutions(), true);
        Child later = new Child(LocalStepFunctions.DEFINITION, TestLambdaEndpoint.substitutions(), false);
        reconcile = new LocalStepFunctions(endpoint.url(), LocalStepFunctions.RECONCILE, substitutions,
                Map.of("Repair", repair, "RebootInWindow", later));
    }

    @AfterAll
    static void stopEndpoint() {
        Map<TaskState, Set<String>> used = endpoint.sdkCalls().actions();
        System.out.println("IAM actions per handler (reconcile): " + used);
        endpoint.close();
        assertThat(HandlerPermissions.callsWithoutGrant(used)).as("calls outside the handler's role").isEmpty();
        if (HandlerPermissions.allScenariosRan(ReconcileExecutionTest.class, SCENARIOS_RUN)) {
            assertThat(HandlerPermissions.grantsWithoutCall(used, TaskState.Workflow.RECONCILE))
                    .as("grants no scenario needed").isEmpty();
        }
    }

    @AfterEach
    void noteScenario(TestInfo test) {
        test.getTestMethod().ifPresent(method -> SCENARIOS_RUN.add(method.getName()));
    }

    @BeforeEach
    void freshAccountAndDatabase() {
        rds = FakeRdsWorld.standard();
        secrets = new FakeSecretsManager();
        dynamoDb = new FakeDynamoDb(ResourceNames.REGISTRY_TABLE_NAME);
        registry = new DynamoDbEnrolmentRegistry(dynamoDb, ResourceNames.REGISTRY_TABLE_NAME);
        db = PostgresServers.freshDatabase(VERSION);
        db.sql("CREATE SCHEMA sales",
                "CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.order_lines (order_id int, sku text)",
                "CREATE TABLE public.events (payload text)",
                "CREATE TABLE sales.invoices (id int PRIMARY KEY, total numeric)");
        String master = AdminSecretJson.of("postgres", adminPassword);
        rds.instance("orders-db").masterSecret(secrets.seed("rds!db-orders-" + UUID.randomUUID(), master));
        rds.instance("billing-db").masterSecret(secrets.seed("rds!db-billing-" + UUID.randomUUID(), master));
        rds.cluster("orders-aurora").masterSecret(secrets.seed("rds!cluster-aurora-" + UUID.randomUUID(), master));
        endpoint.serve(new TestLambdaEndpoint.Fakes(rds, secrets, new FakeCloudWatch(), dynamoDb),
                FakeRdsWorld.DEFAULTS, Clock.systemUTC(), db.url());
        reconcile.existingExecutionNames(List.of());
    }

    private Enrolment enrolOrdersDb(String input) {
        Execution run = enrolment.run(event(input), NO_WAITING, 0);
        assertThat(run.output().path("result").asText()).as(run.error() + " " + run.cause()).isEqualTo("READY");
        return registry.listFor("orders-db").get(0);
    }

    private Execution reconcile(String scenario, JsonNode input) {
        int rdsBefore = rds.calls();
        int secretsBefore = secrets.calls();
        long started = System.nanoTime();
        Execution run = reconcile.run(input, NO_WAITING, 0);
        System.out.printf("%-52s %-60s transitions=%3d (children %3d)  RDS calls=%3d  Secrets Manager calls=%2d"
                        + "  %5d ms%n", scenario, run.succeeded() ? run.output().path("totals").toString() : run.error(),
                run.transitions(), run.childTransitions(), rds.calls() - rdsBefore, secrets.calls() - secretsBefore,
                (System.nanoTime() - started) / 1_000_000);
        assertThat(run.succeeded()).as(run.error() + " " + run.cause()).isTrue();
        assertThat(run.everything()).as("no secret value in any state").doesNotContain(adminPassword);
        return run;
    }

    private static JsonNode schedule() {
        return json("{}");
    }

    @Test
    void aReadyFleet_isVerified_andNothingChanges() {
        Enrolment enrolled = enrolOrdersDb("manual-instance.json");
        String rdsBefore = rds.snapshot();
        Map<String, String> secretsBefore = secrets.snapshot();

        Execution run = reconcile("ready fleet (schedule)", schedule());

        assertThat(run.output().path("totals").path("READY").asInt()).isEqualTo(1);
        assertThat(run.output().path("targets").asInt()).isEqualTo(1);
        assertThat(run.output().path("lines").get(0).asText()).isEqualTo("orders-db/orders READY");
        assertThat(run.statesEntered()).contains("CheckDrift", "RecordResult", "Summarise").doesNotContain("Repair");
        assertThat(rds.snapshot()).isEqualTo(rdsBefore);
        assertThat(secrets.snapshot()).isEqualTo(secretsBefore);
        Enrolment after = registry.listFor("orders-db").get(0);
        assertThat(after.lastResult()).isEqualTo(EnrolmentResult.READY);
        assertThat(after.lastVerified()).isAfterOrEqualTo(enrolled.lastVerified());
        assertThat(after.request()).isEqualTo(enrolled.request());
    }

    @Test
    void instanceMovedToAnotherGroup_event0011_isRepaired_andTheReplyNamesWhatDrifted() {
        enrolOrdersDb("manual-instance.json");
        rds.useDbParameterGroup("orders-db", "default.postgres16");

        Execution run = reconcile("moved to default group (RDS-EVENT-0011)",
                event("lifecycle/instance-0011-parameter-group-changed.json"));

        assertThat(run.output().path("totals").path("REPAIRED").asInt()).isEqualTo(1);
        assertThat(run.output().path("lines").get(0).asText()).contains("REPAIRED", "PARAMETER_GROUP");
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo(OUR_GROUP);
        assertThat(run.childTransitions()).as("the enrolment workflow ran as the repair").isPositive();
        Enrolment after = registry.listFor("orders-db").get(0);
        assertThat(after.lastResult()).isEqualTo(EnrolmentResult.REPAIRED);
        assertThat(after.drift()).anyMatch(d -> d.startsWith("PARAMETER_GROUP"));
        assertThat(after.request().rebootPolicy()).isEqualTo(RebootPolicy.IMMEDIATE);
    }

    @Test
    void replicaIdentityResetToDefault_andTheEventTriggerDropped_areRepairedOnTheSchedule() {
        enrolOrdersDb("manual-instance.json");
        String triggers = "SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'cdc_enabler%'";
        String enrolledTriggers = db.value(triggers);
        db.sql("SET session_replication_role = replica; ALTER TABLE public.orders REPLICA IDENTITY DEFAULT",
                "DROP EVENT TRIGGER IF EXISTS cdc_enabler_keep_replica_identity_full");
        assertThat(db.replicaIdentity("public.orders")).isEqualTo("d");

        Execution run = reconcile("identity reset + trigger dropped (schedule)", schedule());

        assertThat(run.output().path("totals").path("REPAIRED").asInt()).as(run.output().toString()).isEqualTo(1);
        assertThat(run.output().path("lines").get(0).asText()).contains("REPLICA_IDENTITY");
        assertThat(db.replicaIdentity("public.orders")).isEqualTo("f");
        assertThat(db.value(triggers)).as("the event trigger is back").isEqualTo(enrolledTriggers);
        assertThat(rds.totalReboots()).as("only the enrolment's reboot: this drift needs none").isEqualTo(1);
    }

    @Test
    void aRepairThatNeedsAReboot_underPolicyNone_neverReboots_andIsDriftPendingReboot() {
        enrolment.run(event("manual-instance-reboot-none.json"), NO_WAITING, 0);
        rds.rebootDBInstance(r -> r.dbInstanceIdentifier("orders-db"));
        enrolOrdersDb("manual-instance-reboot-none.json");
        int reboots = rds.totalReboots();
        rds.useDbParameterGroup("orders-db", "default.postgres16");

        Execution run = reconcile("moved to default group, policy NONE", schedule());

        assertThat(run.output().path("totals").path("DRIFT_PENDING_REBOOT").asInt()).as(run.output().toString())
                .isEqualTo(1);
        assertThat(rds.totalReboots()).isEqualTo(reboots);
        assertThat(run.childStarts()).as("NONE: no run waits for a window").isEmpty();
        assertThat(registry.listFor("orders-db").get(0).lastResult()).isEqualTo(EnrolmentResult.DRIFT_PENDING_REBOOT);
    }

    @Test
    void aRepairThatNeedsAReboot_underNextMaintenanceWindow_startsOneRunForTheWindow_perTargetAndDay() {
        Enrolment enrolled = enrolOrdersDb("manual-instance.json");
        registry.recordEnrolment(new Enrolment(enrolled.request().toBuilder()
                .rebootPolicy(RebootPolicy.NEXT_MAINTENANCE_WINDOW).build(), enrolled.kind(), enrolled.identifier(),
                enrolled.database(), enrolled.cdcSecretArn(), enrolled.parameterGroupName(), enrolled.engineVersion(),
                enrolled.enrolledAt(), enrolled.lastVerified(), enrolled.lastResult(), null, List.of(), 0));
        int reboots = rds.totalReboots();
        rds.useDbParameterGroup("orders-db", "default.postgres16");
        String name = "reboot-orders-db-" + DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneOffset.UTC));

        Execution run = reconcile("moved to default group, policy NEXT_MAINTENANCE_WINDOW", schedule());

        assertThat(run.output().path("totals").path("DRIFT_PENDING_REBOOT").asInt()).as(run.output().toString())
                .isEqualTo(1);
        assertThat(rds.totalReboots()).as("no reboot now").isEqualTo(reboots);
        assertThat(run.childStarts()).singleElement().satisfies(start -> {
            assertThat(start.path("child").asText()).isEqualTo(name);
            assertThat(start.path("input").path("rebootPolicy").asText()).isEqualTo("NEXT_MAINTENANCE_WINDOW");
            assertThat(start.path("input").path("source").asText()).isEqualTo("RECONCILE");
        });
        assertThat(registry.listFor("orders-db").get(0).request().rebootPolicy())
                .isEqualTo(RebootPolicy.NEXT_MAINTENANCE_WINDOW);

        reconcile.existingExecutionNames(List.of(name));
        Execution again = reconcile("the same day again", schedule());

        assertThat(again.childStarts()).as("one run for the window per target and day").isEmpty();
        assertThat(again.output().path("totals").path("DRIFT_PENDING_REBOOT").asInt()).isEqualTo(1);
    }

    @Test
    void clusterParameterGroupEdited_seenOnlyInCloudTrail_isRepaired() {
        Execution enrolled = enrolment.run(event("manual-aurora-cluster.json"), NO_WAITING, 0);
        assertThat(enrolled.output().path("result").asText()).as(enrolled.cause()).isEqualTo("READY");
        String group = registry.listFor("orders-aurora").get(0).parameterGroupName();
        rds.modifyDBClusterParameterGroup(r -> r.dbClusterParameterGroupName(group).parameters(
                software.amazon.awssdk.services.rds.model.Parameter.builder().parameterName("rds.logical_replication")
                        .parameterValue("0").applyMethod("pending-reboot").build()));
        com.fasterxml.jackson.databind.node.ObjectNode call = (com.fasterxml.jackson.databind.node.ObjectNode)
                event("lifecycle/cloudtrail-modify-cluster-parameter-group.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) call.path("detail").path("requestParameters"))
                .put("dBClusterParameterGroupName", group.toUpperCase(java.util.Locale.ROOT));

        Execution run = reconcile("cluster parameter group edited (CloudTrail)", call);

        assertThat(run.output().path("totals").path("REPAIRED").asInt()).as(run.output().toString()).isEqualTo(1);
        assertThat(run.output().path("lines").get(0).asText()).contains("orders-aurora", "PARAMETER_VALUE");
        assertThat(rds.clusterParameterGroup(group).values()).containsEntry("rds.logical_replication", "1");
    }

    @Test
    void blueGreenSwitchover_event0248_reEnrolsTheNewProductionDatabaseUnderItsName() {
        enrolOrdersDb("manual-instance.json");
        rds.addBlueGreenDeployment("bgd-wi89nwzglccsfake", "orders-db", "orders-db-green-abc123");

        Execution run = reconcile("Blue/Green switchover (RDS-EVENT-0248)",
                event("lifecycle/blue-green-0248-switchover-completed.json"));

        assertThat(run.output().path("totals").path("REPAIRED").asInt()).as(run.output().toString()).isEqualTo(1);
        assertThat(run.output().path("lines").get(0).asText()).contains("orders-db", "BLUE_GREEN");
        assertThat(run.childTransitions()).as("the enrolment workflow ran for orders-db").isPositive();
        assertThat(registry.listFor("orders-db").get(0).lastResult()).isEqualTo(EnrolmentResult.REPAIRED);
    }

    @Test
    void failoverRestartAndRestoreEvents_verifyExactlyTheEnrolmentTheyConcern() {
        enrolOrdersDb("manual-instance.json");
        Execution aurora = enrolment.run(event("manual-aurora-cluster.json"), NO_WAITING, 0);
        assertThat(aurora.output().path("result").asText()).as(aurora.cause()).isEqualTo("READY");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("instance-0006-restarted.json", "orders-db/orders READY");
        expected.put("instance-0092-finished-updating.json", "orders-db/orders READY");
        expected.put("instance-0049-aurora-member-failover.json", "orders-aurora/orders READY");
        expected.put("cluster-0071-failover-completed.json", "orders-aurora/orders READY");
        expected.put("instance-0013-failover-started.json", null);
        expected.put("instance-0019-point-in-time-restore.json", null);
        expected.put("instance-0043-restored-from-snapshot.json", null);

        expected.forEach((file, line) -> {
            Execution run = reconcile(file, event("lifecycle/" + file));
            if (line == null) {
                assertThat(run.output().path("targets").asInt()).as(file + ": not enrolled").isZero();
            } else {
                assertThat(run.output().path("lines").toString()).as(file).isEqualTo("[\"" + line + "\"]");
            }
        });
    }

    @Test
    void aParameterEditedInOurGroup_event0037_isPutBack() {
        enrolOrdersDb("manual-instance.json");
        rds.modifyDBParameterGroup(r -> r.dbParameterGroupName(OUR_GROUP).parameters(
                software.amazon.awssdk.services.rds.model.Parameter.builder().parameterName("rds.logical_replication")
                        .parameterValue("0").applyMethod("pending-reboot").build()));
        String edited = FakeRdsWorld.event("lifecycle/parameter-group-0037-edited.json").replace("shared-pg16",
                OUR_GROUP);

        Execution run = reconcile("parameter edited in our group (RDS-EVENT-0037)", json(edited));

        assertThat(run.output().path("totals").path("REPAIRED").asInt()).as(run.output().toString()).isEqualTo(1);
        assertThat(run.output().path("lines").get(0).asText()).contains("PARAMETER_VALUE", "rds.logical_replication");
        assertThat(rds.dbParameterGroup(OUR_GROUP).values()).containsEntry("rds.logical_replication", "1");
    }

    @Test
    void aMajorUpgradeThatLandedOnTheDefaultGroup_event0268_isRepairedOnTheNewFamily_thenReady() {
        enrolOrdersDb("manual-instance.json");
        rds.upgradeEngine("orders-db", "17.4");
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo("default.postgres17");

        Execution run = reconcile("upgrade to 17 landed on default.postgres17 (RDS-EVENT-0268)",
                event("lifecycle/instance-0268-major-upgrade-finished.json"));

        assertThat(run.output().path("totals").path("REPAIRED").asInt()).as(run.output().toString()).isEqualTo(1);
        assertThat(run.output().path("lines").get(0).asText()).contains("PARAMETER_GROUP");
        String newGroup = "cdc-enabler-orders-db-postgres17";
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo(newGroup);
        assertThat(rds.dbParameterGroup(newGroup).values()).containsEntry("rds.logical_replication", "1");
        Enrolment after = registry.listFor("orders-db").get(0);
        assertThat(after.parameterGroupName()).isEqualTo(newGroup);
        assertThat(after.engineVersion()).isEqualTo("17.4");

        Execution next = reconcile("the next reconciliation on 17", schedule());

        assertThat(next.output().path("lines").toString()).isEqualTo("[\"orders-db/orders READY\"]");
    }

    @Test
    void oneInput_enrolsEveryTaggedInstanceAndCluster_andVerifiesTheEnrolledOnes() {
        // Enrolled by its creation event, so with the stack's defaults like the fleet: all share one database here.
        enrolOrdersDb("rds-event-instance-created.json");
        String master = AdminSecretJson.of("postgres", adminPassword);
        for (String id : List.of("orders-multi-az", "reporting-db", "replica-db", "restored-db")) {
            rds.instance(id).masterSecret(secrets.seed("rds!db-" + id + "-" + UUID.randomUUID(), master));
        }
        rds.cluster("orders-maz").masterSecret(secrets.seed("rds!cluster-maz-" + UUID.randomUUID(), master));

        // One at a time: every target here is served by the one embedded database, so concurrent enrolments would
        // re-password the one shared CDC role under each other (on AWS each target is its own database).
        Execution run = reconcile("fleet by opt-in tag (enrolTagged)",
                json("{\"enrolTagged\": true, \"maxConcurrency\": 1}"));

        List<String> lines = MAPPER.convertValue(run.output().path("lines"), List.class);
        assertThat(lines).as(run.output().toString()).hasSize(8)
                .contains("orders-db/orders READY")
                .anyMatch(l -> l.startsWith("replica-db/* READY not enrolled:"))
                .noneMatch(l -> l.contains("shop-mysql") || l.contains("untagged-db"));
        assertThat(run.output().path("totals").path("FAILED").asInt()).as(run.output().toString()).isZero();
        assertThat(registry.list()).extracting(Enrolment::identifier).containsExactlyInAnyOrder("billing-db",
                "orders-aurora", "orders-db", "orders-maz", "orders-multi-az", "reporting-db", "restored-db");

        Execution again = reconcile("fleet by opt-in tag, again", json("{\"enrolTagged\": true}"));

        assertThat(again.output().path("totals").path("READY").asInt()).as(again.output().toString()).isEqualTo(8);
        assertThat(again.statesEntered()).as("only the tagged read replica, never enrollable, is tried again")
                .filteredOn("Repair"::equals).hasSize(1);
        assertThat(registry.list()).hasSize(7);
    }

    @Test
    void anEventForADatabaseNotEnrolled_checksNothing() {
        Execution run = reconcile("event for a database not enrolled", event(
                "lifecycle/instance-0011-parameter-group-changed.json"));

        assertThat(run.output().path("targets").asInt()).isZero();
        assertThat(endpoint.invocations()).doesNotContain("CheckDrift");
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
}
