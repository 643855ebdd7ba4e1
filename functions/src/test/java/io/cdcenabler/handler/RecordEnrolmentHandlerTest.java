package io.cdcenabler.handler;

import static io.cdcenabler.testing.FakeRdsWorld.event;
import static io.cdcenabler.testing.FakeRdsWorld.invoke;
import static io.cdcenabler.testing.FakeRdsWorld.stateWith;
import static io.cdcenabler.testing.FakeRdsWorld.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentResult;
import io.cdcenabler.steps.RecordEnrolmentStep;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.testing.InMemoryEnrolmentRegistry;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.RebootPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RecordEnrolmentHandlerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:cdc-enabler/orders-db/orders-AbCdEf";
    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final Enrolment.Key KEY = new Enrolment.Key("orders-db", "orders");

    private final FakeRds rds = FakeRdsWorld.standard();
    private final DescribeTargetHandler describe =
            new DescribeTargetHandler(new TargetResolver(rds, FakeRdsWorld.DEFAULTS));
    private final InMemoryEnrolmentRegistry registry = new InMemoryEnrolmentRegistry();

    private RecordEnrolmentHandler handler(Instant now) {
        return new RecordEnrolmentHandler(new RecordEnrolmentStep(registry, Clock.fixed(now, ZoneOffset.UTC)));
    }

    private ObjectNode readyState(String input) {
        ObjectNode state = stateWith(input, invoke(describe, input));
        state.set("parameterGroup", MAPPER.createObjectNode().put("parameterGroupName", "cdc-enabler-orders-db-postgres16"));
        state.set("provision", MAPPER.createObjectNode().put("cdcSecretArn", SECRET).put("changed", 3));
        state.set("verify", MAPPER.createObjectNode().put("ready", true));
        return state;
    }

    @Test
    void readyRun_recordsTheRequestAsEnrolled_andARerunMovesOnlyLastVerified() {
        JsonNode first = invoke(handler(T0), text(readyState(event("manual-instance.json"))));

        Enrolment stored = registry.find(KEY).orElseThrow();
        assertThat(first.path("recorded").asBoolean()).isTrue();
        assertThat(first.path("result").asText()).isEqualTo("READY");
        assertThat(stored.lastResult()).isEqualTo(EnrolmentResult.READY);
        assertThat(stored.request().publication()).isEqualTo("bemi");
        assertThat(stored.request().rebootPolicy()).isEqualTo(RebootPolicy.IMMEDIATE);
        assertThat(stored.cdcSecretArn()).isEqualTo(SECRET);
        assertThat(stored.parameterGroupName()).isEqualTo("cdc-enabler-orders-db-postgres16");
        assertThat(stored.kind()).isEqualTo(Enrolment.TargetKind.INSTANCE);
        assertThat(stored.lastVerified()).isEqualTo(T0);
        assertThat(stored.enrolledAt()).isEqualTo(T0);

        Instant later = T0.plus(Duration.ofDays(1));
        invoke(handler(later), text(readyState(event("manual-instance.json"))));

        Enrolment again = registry.find(KEY).orElseThrow();
        assertThat(again.lastVerified()).isEqualTo(later);
        assertThat(again.enrolledAt()).isEqualTo(T0);
        assertThat(again.version()).isEqualTo(stored.version() + 1);
        assertThat(again.request()).isEqualTo(stored.request());
    }

    @Test
    void rebootPendingRun_recordsDriftPendingReboot_withoutLastVerified() {
        String input = event("manual-instance-reboot-none.json");
        ObjectNode state = stateWith(input, invoke(describe, input));
        state.set("parameterGroup", MAPPER.createObjectNode().put("parameterGroupName", "cdc-enabler-orders-db-postgres16"));
        state.set("reboot", MAPPER.createObjectNode().put("pending", true).put("rebooted", false));

        JsonNode outcome = invoke(handler(T0), text(state));

        Enrolment stored = registry.list().get(0);
        assertThat(registry.list()).hasSize(1);
        assertThat(outcome.path("result").asText()).isEqualTo("DRIFT_PENDING_REBOOT");
        assertThat(stored.lastVerified()).isNull();
        assertThat(stored.cdcSecretArn()).isNull();
        assertThat(stored.drift()).singleElement().asString().contains("cdc-enabler-orders-db-postgres16", "NONE");
    }

    @Test
    void repairStartedByReconciliation_keepsTheRequestTheUserEnrolled() {
        invoke(handler(T0), text(readyState(event("manual-instance.json"))));
        ObjectNode repairInput = (ObjectNode) json(event("manual-instance.json"));
        repairInput.put("rebootPolicy", "NONE").put("source", RecordEnrolmentStep.RECONCILE_SOURCE);

        invoke(handler(T0.plusSeconds(60)), text(readyState(text(repairInput))));

        Enrolment stored = registry.find(KEY).orElseThrow();
        assertThat(stored.request().rebootPolicy()).as("the user's policy, not the repair's")
                .isEqualTo(RebootPolicy.IMMEDIATE);
        assertThat(stored.request().source()).isEqualTo("MANUAL");
        assertThat(stored.lastVerified()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void repairOfAnEnrolmentRemovedMeanwhile_recordsNothing() {
        ObjectNode repairInput = (ObjectNode) json(event("manual-instance.json"));
        repairInput.put("source", RecordEnrolmentStep.RECONCILE_SOURCE);

        JsonNode outcome = invoke(handler(T0), text(readyState(text(repairInput))));

        assertThat(outcome.path("recorded").asBoolean()).isFalse();
        assertThat(outcome.path("reason").asText()).contains("orders-db/orders", "no longer enrolled");
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void aStateThatIsNeitherReadyNorPending_isANamedError_andRecordsNothing() {
        ObjectNode state = readyState(event("manual-instance.json"));
        state.set("verify", MAPPER.createObjectNode().put("ready", false));

        assertThatThrownBy(() -> invoke(handler(T0), text(state))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("$.verify.ready").hasMessageContaining("nothing was recorded");
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void withoutTheTableInTheEnvironment_theErrorNamesTheVariable() {
        RecordEnrolmentHandler unconfigured = new RecordEnrolmentHandler(new RecordEnrolmentStep(
                new io.cdcenabler.registry.UnconfiguredRegistry("CDC_REGISTRY_TABLE"), Clock.systemUTC()));

        assertThatThrownBy(() -> invoke(unconfigured, text(readyState(event("manual-instance.json")))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CDC_REGISTRY_TABLE");
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
