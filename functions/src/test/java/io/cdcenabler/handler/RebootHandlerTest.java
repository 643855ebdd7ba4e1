package io.cdcenabler.handler;

import static io.cdcenabler.testing.FakeRdsWorld.event;
import static io.cdcenabler.testing.FakeRdsWorld.invoke;
import static io.cdcenabler.testing.FakeRdsWorld.stateWith;
import static io.cdcenabler.testing.FakeRdsWorld.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.rds.ParameterGroupEnsurer;
import io.cdcenabler.rds.ParameterGroupPlanner;
import io.cdcenabler.rds.Rebooter;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.workflow.InstanceBusyException;
import io.cdcenabler.workflow.ThrottledException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import io.cdcenabler.workflow.TerminalStatusException;

class RebootHandlerTest {
    /** A Wednesday; orders-db's window is sun:05:00-sun:05:30. */
    private static final Instant WEDNESDAY = Instant.parse("2026-11-25T14:00:00Z");
    private static final Instant NEXT_WINDOW = Instant.parse("2026-11-29T05:00:00Z");

    /** Reboot's policy decisions on a settled target; the asynchronous apply has tests of its own below. */
    private final FakeRds rds = FakeRdsWorld.standard().asynchronousApply(false);
    private final DescribeTargetHandler describe =
            new DescribeTargetHandler(new TargetResolver(rds, FakeRdsWorld.DEFAULTS));
    private final EnsureParameterGroupHandler ensure =
            new EnsureParameterGroupHandler(new ParameterGroupEnsurer(rds, new ParameterGroupPlanner()));

    private static RebootHandler rebootAt(FakeRds rds, Instant now) {
        return new RebootHandler(new Rebooter(rds, Clock.fixed(now, ZoneOffset.UTC)));
    }

    /** The state after DescribeTarget and EnsureParameterGroup ran on {@code input}. */
    private ObjectNode ensured(String input) {
        ObjectNode state = stateWith(input, invoke(describe, input));
        state.set("parameterGroup", invoke(ensure, text(state)));
        return state;
    }

    @Test
    void immediate_rebootsTheInstanceOnceWithoutFailover() {
        ObjectNode state = ensured(event("manual-instance.json"));
        RebootHandler reboot = rebootAt(rds, WEDNESDAY);

        JsonNode first = invoke(reboot, text(state));
        JsonNode second = invoke(reboot, text(state));

        assertThat(first.path("rebooted").asBoolean()).isTrue();
        assertThat(first.path("pending").asBoolean()).isFalse();
        assertThat(second.path("rebooted").asBoolean()).isFalse();
        assertThat(second.path("message").asText()).contains("orders-db is rebooting", "status checks go on");
        assertThat(rds.instance("orders-db").reboots()).isEqualTo(1);
        assertThat(rds.instance("orders-db").failovers()).isZero();
        assertThat(rds.totalReboots()).isEqualTo(1);
    }

    @Test
    void nothingPending_noReboot() {
        String input = "{\"instanceIdentifier\": \"orders-db\"}";
        ObjectNode state = stateWith(input, invoke(describe, input));

        JsonNode outcome = invoke(rebootAt(rds, WEDNESDAY), text(state));

        assertThat(outcome.path("rebooted").asBoolean()).isFalse();
        assertThat(outcome.path("message").asText()).contains("no reboot needed", "in-sync");
        assertThat(rds.totalReboots()).isZero();
    }

    @Test
    void policyNone_endsPendingWithAnOperatorMessage_andDoesNotReboot() {
        ObjectNode state = ensured(event("manual-instance-reboot-none.json"));

        JsonNode outcome = invoke(rebootAt(rds, WEDNESDAY), text(state));

        assertThat(outcome.path("pending").asBoolean()).isTrue();
        assertThat(outcome.path("rebooted").asBoolean()).isFalse();
        assertThat(outcome.path("message").asText()).contains("reboot pending", "orders-db",
                "aws rds reboot-db-instance");
        assertThat(rds.totalReboots()).isZero();
        assertThat(rds.instance("orders-db").applyStatus()).isEqualTo("pending-reboot");
    }

    @Test
    void nextMaintenanceWindow_waitsUntilTheWindowStarts_thenReboots() {
        ObjectNode state = ensured(event("manual-instance-maintenance-window.json"));

        JsonNode waiting = invoke(rebootAt(rds, WEDNESDAY), text(state));

        assertThat(waiting.path("rebooted").asBoolean()).isFalse();
        assertThat(waiting.path("waitUntil").asText()).isEqualTo(NEXT_WINDOW.toString());
        assertThat(rds.totalReboots()).isZero();

        state.set("reboot", waiting);
        JsonNode early = invoke(rebootAt(rds, NEXT_WINDOW.minusSeconds(60)), text(state));
        assertThat(early.path("rebooted").asBoolean()).isFalse();
        assertThat(rds.totalReboots()).isZero();

        JsonNode due = invoke(rebootAt(rds, NEXT_WINDOW), text(state));
        assertThat(due.path("rebooted").asBoolean()).isTrue();
        assertThat(rds.instance("orders-db").reboots()).isEqualTo(1);
    }

    @Test
    void nextMaintenanceWindow_insideTheWindow_rebootsNow() {
        ObjectNode state = ensured(event("manual-instance-maintenance-window.json"));

        JsonNode outcome = invoke(rebootAt(rds, NEXT_WINDOW.plusSeconds(600)), text(state));

        assertThat(outcome.path("rebooted").asBoolean()).isTrue();
    }

    @Test
    void auroraCluster_rebootsOnlyTheWriter() {
        ObjectNode state = ensured(event("manual-aurora-cluster.json"));

        JsonNode outcome = invoke(rebootAt(rds, WEDNESDAY), text(state));

        assertThat(outcome.path("rebooted").asBoolean()).isTrue();
        assertThat(rds.instance("orders-aurora-1").reboots()).isEqualTo(1);
        assertThat(rds.instance("orders-aurora-2").reboots()).isZero();
        assertThat(rds.cluster("orders-aurora").reboots()).isZero();
    }

    @Test
    void multiAzDbCluster_isRebootedAsACluster() {
        ObjectNode state = ensured(event("manual-multi-az-cluster.json"));

        JsonNode outcome = invoke(rebootAt(rds, WEDNESDAY), text(state));

        assertThat(outcome.path("rebooted").asBoolean()).isTrue();
        assertThat(rds.cluster("orders-maz").reboots()).isEqualTo(1);
        assertThat(rds.cluster("orders-maz").status()).isEqualTo("rebooting");
    }

    @Test
    void injectedErrors_areTransientWorkflowErrors_andNothingIsRebooted() {
        ObjectNode state = ensured(event("manual-instance.json"));
        RebootHandler reboot = rebootAt(rds, WEDNESDAY);
        rds.failNext("RebootDBInstance", FakeRds.throttling());
        rds.failNext("DescribeDBInstances", FakeRds.invalidInstanceState("orders-db"));

        assertThatThrownBy(() -> invoke(reboot, text(state))).isInstanceOf(InstanceBusyException.class);
        assertThatThrownBy(() -> invoke(reboot, text(state))).isInstanceOf(ThrottledException.class)
                .hasMessageContaining("RebootDBInstance orders-db");
        assertThat(rds.totalReboots()).isZero();

        assertThat(invoke(reboot, text(state)).path("rebooted").asBoolean()).isTrue();
        assertThat(rds.totalReboots()).isEqualTo(1);
    }

    @Test
    void busyInstance_isLeftToTheStatusLoop_neitherRebootedNorFailed() {
        ObjectNode state = ensured(event("manual-instance.json"));
        rds.instance("orders-db").status("backing-up");

        JsonNode outcome = invoke(rebootAt(rds, WEDNESDAY), text(state));

        assertThat(outcome.path("rebooted").asBoolean()).isFalse();
        assertThat(outcome.path("pending").asBoolean()).isFalse();
        assertThat(outcome.path("message").asText()).contains("orders-db is backing-up");
        assertThat(rds.totalReboots()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"incompatible-restore", "restore-error", "insufficient-capacity", "stopped"})
    void unrecoverableStatus_failsAtOnce_withoutRebooting(String status) {
        ObjectNode state = ensured(event("manual-instance.json"));
        rds.instance("orders-db").status(status);

        assertThatThrownBy(() -> invoke(rebootAt(rds, WEDNESDAY), text(state)))
                .isInstanceOf(TerminalStatusException.class).hasMessageContaining("orders-db is " + status);
        assertThat(rds.totalReboots()).isZero();
    }

    @Test
    void rightAfterTheChange_rdsStillShowsTheOldState_soRebootWaitsInsteadOfSayingNoRebootNeeded() {
        FakeRds async = FakeRdsWorld.standard();
        DescribeTargetHandler describeAsync = new DescribeTargetHandler(new TargetResolver(async, FakeRdsWorld.DEFAULTS));
        EnsureParameterGroupHandler ensureAsync =
                new EnsureParameterGroupHandler(new ParameterGroupEnsurer(async, new ParameterGroupPlanner()));
        String input = event("manual-instance.json");
        ObjectNode state = stateWith(input, invoke(describeAsync, input));
        state.set("parameterGroup", invoke(ensureAsync, text(state)));
        RebootHandler reboot = rebootAt(async, WEDNESDAY);

        JsonNode early = invoke(reboot, text(state));
        JsonNode applying = invoke(reboot, text(state));

        assertThat(early.path("rebooted").asBoolean()).isFalse();
        assertThat(early.path("message").asText()).contains("still reports parameter group default.postgres16")
                .doesNotContain("no reboot needed");
        assertThat(applying.path("rebooted").asBoolean()).isFalse();
        assertThat(applying.path("message").asText()).contains("applying");
        assertThat(async.totalReboots()).isZero();
        invoke(reboot, text(state));
        assertThat(invoke(reboot, text(state)).path("rebooted").asBoolean()).isTrue();
        assertThat(async.instance("orders-db").reboots()).isEqualTo(1);
    }

    @Test
    void aRebootOfThisExecution_isNeverRepeated_evenWhenPendingRebootIsShownAgain() {
        ObjectNode state = ensured(event("manual-instance.json"));
        RebootHandler reboot = rebootAt(rds, WEDNESDAY);
        state.set("reboot", invoke(reboot, text(state)));
        rds.describeDBInstances(r -> r.dbInstanceIdentifier("orders-db"));
        rds.describeDBInstances(r -> r.dbInstanceIdentifier("orders-db"));
        rds.modifyDBParameterGroup(r -> r.dbParameterGroupName("cdc-enabler-orders-db-postgres16").parameters(
                software.amazon.awssdk.services.rds.model.Parameter.builder().parameterName("work_mem")
                        .parameterValue("8192").applyMethod("pending-reboot").build()));

        JsonNode again = invoke(reboot, text(state));

        assertThat(again.path("rebooted").asBoolean()).as("this execution has rebooted").isTrue();
        assertThat(again.path("message").asText()).contains("was rebooted by this run");
        assertThat(rds.instance("orders-db").reboots()).isEqualTo(1);
    }
}
