package io.cdcenabler.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.contract.TaskState;
import io.cdcenabler.handler.TestLambdaEndpoint;
import io.cdcenabler.rds.ParameterGroupPlanner;
import io.cdcenabler.registry.DynamoDbEnrolmentRegistry;
import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentRegistry;
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
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A reconciliation of a fleet of 1,000 enrolled instances in the interpreter, with the real handlers, while FakeRds
 * throttles the account's RDS API the way RDS does (a token bucket: burst 300, 12 requests per second sustained,
 * "Request throttling for the Amazon RDS API"), on a clock that runs {@value #TIME_SCALE} times faster than real
 * time. The retries of the definition absorb the throttling (their first interval scaled by the same factor): every
 * target must end READY. Prints state transitions, AWS calls per target, throttled calls, retries and wall time;
 * asserts no time (a figure, not a timed test).
 */
class FleetReconcileSimulationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int FLEET = 1_000;
    private static final double TIME_SCALE = 4;
    /** The definition's transient retrier starts at 15 s (ThrottledException); the same on the scaled clock. */
    private static final long THROTTLE_RETRY_MILLIS = (long) (15_000 / TIME_SCALE);
    private static final Map<String, Long> NO_WAITING = Map.of("WaitForStatus", 0L, "WaitForMaintenanceWindow", 0L);

    private static TestLambdaEndpoint endpoint;

    @BeforeAll
    static void startEndpoint() {
        endpoint = new TestLambdaEndpoint();
    }

    @AfterAll
    static void stopEndpoint() {
        endpoint.close();
    }

    @Test
    void aFleetOf1000_isReconciled_underRdsThrottling_withoutLosingATarget() throws IOException {
        FakeRds rds = FakeRdsWorld.standard();
        FakeSecretsManager secrets = new FakeSecretsManager();
        FakeDynamoDb dynamoDb = new FakeDynamoDb(ResourceNames.REGISTRY_TABLE_NAME);
        EnrolmentRegistry registry = new DynamoDbEnrolmentRegistry(dynamoDb, ResourceNames.REGISTRY_TABLE_NAME);
        TestDatabase db = PostgresServers.freshDatabase(PostgresServers.newest());
        db.sql("CREATE SCHEMA sales", "CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE sales.invoices (id int PRIMARY KEY, total numeric)");
        String master = secrets.seed("rds!db-fleet-" + UUID.randomUUID(),
                AdminSecretJson.of("postgres", "adm-" + UUID.randomUUID()));
        rds.instance("orders-db").masterSecret(master);
        endpoint.serve(new TestLambdaEndpoint.Fakes(rds, secrets, new FakeCloudWatch(), dynamoDb),
                FakeRdsWorld.DEFAULTS, Clock.systemUTC(), db.url());

        // One database enrolled for real; the fleet is 999 more instances enrolled the same way (each on its own
        // group with the same values), all served by the one embedded database.
        Execution enrolled = new LocalStepFunctions(endpoint.url(), TestLambdaEndpoint.substitutions())
                .run(MAPPER.readTree(FakeRdsWorld.event("manual-instance.json")), NO_WAITING, 0);
        assertThat(enrolled.output().path("result").asText()).as(enrolled.cause()).isEqualTo("READY");
        Enrolment template = registry.listFor("orders-db").get(0);
        Map<String, String> values = rds.dbParameterGroup(template.parameterGroupName()).values();
        for (int i = 1; i < FLEET; i++) {
            String id = String.format("fleet-%04d", i);
            String group = ParameterGroupPlanner.ownGroupName(id, "postgres16");
            rds.addInstance(id, "postgres", "16.4").tag(FakeRdsWorld.TAG_KEY, "true").dbName("orders")
                    .masterSecret(master);
            rds.addDbParameterGroup(group, "postgres16", values);
            rds.useDbParameterGroup(id, group);
            registry.recordEnrolment(new Enrolment(template.request().toBuilder().instanceIdentifier(id).build(),
                    template.kind(), id, template.database(), template.cdcSecretArn(), group,
                    template.engineVersion(), template.enrolledAt(), template.lastVerified(), template.lastResult(),
                    null, java.util.List.of(), 0));
        }
        rds.rateLimit(300, 12, TIME_SCALE);
        int rdsBefore = rds.calls();
        int secretsBefore = secrets.calls();

        Map<String, String> substitutions = new LinkedHashMap<>(
                TestLambdaEndpoint.substitutions(TaskState.Workflow.RECONCILE));
        substitutions.put("EnrolmentStateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:cdc-enabler");
        LocalStepFunctions reconcile = new LocalStepFunctions(endpoint.url(), LocalStepFunctions.RECONCILE,
                substitutions, Map.of("Repair", new Child(LocalStepFunctions.DEFINITION,
                TestLambdaEndpoint.substitutions(), true)));
        long started = System.nanoTime();
        Execution run = reconcile.run(MAPPER.readTree("{}"), NO_WAITING, THROTTLE_RETRY_MILLIS);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(run.succeeded()).as(run.error() + " " + run.cause()).isTrue();
        JsonNode output = run.output();
        int rdsCalls = rds.calls() - rdsBefore;
        System.out.printf("fleet reconciliation: %d targets, totals %s%n", output.path("targets").asInt(),
                output.path("totals"));
        System.out.printf("  state transitions %d (%.1f per target), retries %d%n", run.transitions(),
                run.transitions() / (double) FLEET, run.retries());
        System.out.printf("  AWS calls: RDS %d (%.2f per target, %d throttled by the bucket), Secrets Manager %d "
                        + "(%.2f per target)%n", rdsCalls, rdsCalls / (double) FLEET, rds.throttled(),
                secrets.calls() - secretsBefore, (secrets.calls() - secretsBefore) / (double) FLEET);
        System.out.printf("  wall time %.1f s here (%.0f AWS seconds on the scaled clock; RDS's sustained 12/s alone "
                + "needs %.0f s for these calls); summary %d bytes%n", seconds, seconds * TIME_SCALE,
                rdsCalls / 12.0, output.toString().getBytes(StandardCharsets.UTF_8).length);
        assertThat(output.path("targets").asInt()).isEqualTo(FLEET);
        assertThat(output.path("totals").path("READY").asInt()).as(output.path("totals").toString()).isEqualTo(FLEET);
        assertThat(rds.throttled()).as("the bucket did throttle: the retries were exercised").isPositive();
        assertThat(registry.list()).hasSize(FLEET).allSatisfy(e -> assertThat(e.lastResult().name()).isEqualTo("READY"));
    }
}
