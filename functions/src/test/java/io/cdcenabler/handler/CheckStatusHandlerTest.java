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
import io.cdcenabler.rds.StatusChecker;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.workflow.TerminalStatusException;
import io.cdcenabler.workflow.ThrottledException;
import io.cdcenabler.workflow.WaitTimeoutException;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckStatusHandlerTest {
    private final FakeRds rds = FakeRdsWorld.standard();
    private final DescribeTargetHandler describe =
            new DescribeTargetHandler(new TargetResolver(rds, FakeRdsWorld.DEFAULTS));
    private final EnsureParameterGroupHandler ensure =
            new EnsureParameterGroupHandler(new ParameterGroupEnsurer(rds, new ParameterGroupPlanner()));
    private final RebootHandler reboot = new RebootHandler(new Rebooter(rds, Clock.systemUTC()));
    private final CheckStatusHandler handler = new CheckStatusHandler(new StatusChecker(rds));

    @Test
    void rebootingInstance_waitsThenIsReady() {
        rds.asynchronousApply(false);
        String input = event("manual-instance.json");
        ObjectNode state = stateWith(input, invoke(describe, input));
        state.set("parameterGroup", invoke(ensure, text(state)));

        assertThat(invoke(handler, text(state)).path("state").asText()).as("pending-reboot").isEqualTo("REBOOT");
        state.set("reboot", invoke(reboot, text(state)));
        JsonNode rebooting = invoke(handler, text(state));

        assertThat(rebooting.path("state").asText()).isEqualTo("WAIT");
        assertThat(rebooting.path("status").asText()).isEqualTo("rebooting");
        assertThat(invoke(handler, text(state)).path("state").asText()).isEqualTo("READY");
    }

    @ParameterizedTest
    @ValueSource(strings = {"creating", "modifying", "backing-up", "configuring-enhanced-monitoring",
            "storage-optimization", "upgrading", "maintenance", "starting", "renaming"})
    void transientStatus_isWait(String status) {
        String input = event("manual-instance.json");
        String state = text(stateWith(input, invoke(describe, input)));
        rds.instance("orders-db").status(status);

        JsonNode outcome = invoke(handler, state);

        assertThat(outcome.path("state").asText()).isEqualTo("WAIT");
        assertThat(outcome.path("status").asText()).isEqualTo(status);
    }

    @ParameterizedTest
    @ValueSource(strings = {"stopped", "stopping", "storage-full", "failed", "incompatible-parameters",
            "incompatible-network", "inaccessible-encryption-credentials", "deleting", "incompatible-restore",
            "restore-error", "insufficient-capacity", "incompatible-option-group", "incompatible-credentials",
            "inaccessible-encryption-credentials-recoverable", "delete-precheck"})
    void terminalStatus_isANamedErrorSayingWhatToDo(String status) {
        String input = event("manual-instance.json");
        String state = text(stateWith(input, invoke(describe, input)));
        rds.instance("orders-db").status(status);

        assertThatThrownBy(() -> invoke(handler, state)).isInstanceOf(TerminalStatusException.class)
                .hasMessageContaining("orders-db").hasMessageContaining(" is " + status + ": ");
    }

    @Test
    void stoppedAuroraWriter_isTerminal() {
        String input = event("manual-aurora-cluster.json");
        String state = text(stateWith(input, invoke(describe, input)));
        rds.cluster("orders-aurora").status("stopped");

        assertThatThrownBy(() -> invoke(handler, state)).isInstanceOf(TerminalStatusException.class)
                .hasMessageContaining("DB cluster orders-aurora is stopped");
    }

    @Test
    void statusThatNeverSettles_endsWithWaitTimeoutAfterWaitTimeoutMinutesOfChecks() {
        String input = event("manual-instance-short-wait.json");
        ObjectNode state = stateWith(input, invoke(describe, input));
        rds.instance("orders-db").status("modifying");

        for (int check = 1; check < 3; check++) {
            JsonNode outcome = invoke(handler, text(state));
            assertThat(outcome.path("state").asText()).isEqualTo("WAIT");
            assertThat(outcome.path("checks").asInt()).isEqualTo(check);
            state.set("status", outcome);
        }

        assertThatThrownBy(() -> invoke(handler, text(state))).isInstanceOf(WaitTimeoutException.class)
                .hasMessageContaining("orders-db is still modifying").hasMessageContaining("after 3 status checks");
        rds.instance("orders-db").status("available");
        assertThat(invoke(handler, text(state)).path("state").asText()).isEqualTo("READY");
    }

    @Test
    void throttledDescribe_isThrottled() {
        String input = event("manual-instance.json");
        String state = text(stateWith(input, invoke(describe, input)));
        rds.failNext("DescribeDBInstances", FakeRds.throttling());

        assertThatThrownBy(() -> invoke(handler, state)).isInstanceOf(ThrottledException.class);
    }

    @Test
    void pendingRebootMetInTheStatusLoop_leadsToAReboot() {
        String input = event("manual-instance.json");
        ObjectNode state = stateWith(input, invoke(describe, input));
        state.set("parameterGroup", invoke(ensure, text(state)));
        JsonNode outcome = null;
        for (int check = 0; check < 5 && (outcome == null || !"REBOOT".equals(outcome.path("state").asText()));
             check++) {
            outcome = invoke(handler, text(state));
            state.set("status", outcome);
        }

        assertThat(outcome.path("state").asText()).isEqualTo("REBOOT");
        assertThat(outcome.path("parameterApplyStatus").asText()).isEqualTo("pending-reboot");
        state.set("reboot", invoke(reboot, text(state)));
        assertThat(rds.instance("orders-db").reboots()).isEqualTo(1);
        assertThat(invoke(handler, text(state)).path("state").asText()).as("rebooting").isEqualTo("WAIT");
    }

    @Test
    void inSyncRightAfterThisRunChangedTheGroup_isStale_andNotReady() {
        rds.useDbParameterGroup("orders-db", "shared-pg16");
        String input = event("manual-instance.json");
        ObjectNode state = stateWith(input, invoke(describe, input));
        state.set("parameterGroup", invoke(ensure, text(state)));
        assertThat(state.path("parameterGroup").path("modified").asBoolean()).isTrue();

        JsonNode stale = invoke(handler, text(state));

        assertThat(stale.path("parameterApplyStatus").asText()).isEqualTo("in-sync");
        assertThat(stale.path("state").asText()).isEqualTo("WAIT");
    }

    @Test
    void theOldGroupInSync_isNotReady_whileOurNewGroupIsNotYetShown() {
        String input = event("manual-instance.json");
        ObjectNode state = stateWith(input, invoke(describe, input));
        state.set("parameterGroup", invoke(ensure, text(state)));

        JsonNode early = invoke(handler, text(state));

        assertThat(early.path("parameterApplyStatus").asText()).isEqualTo("in-sync");
        assertThat(early.path("state").asText()).isEqualTo("WAIT");
    }

    @Test
    void aChangeAnotherRunRebootedInBetweenOurChecks_isTrustedAfterAMinuteOfInSync_notWaitedOnForever() {
        rds.useDbParameterGroup("orders-db", "shared-pg16");
        String input = event("manual-instance.json");
        ObjectNode state = stateWith(input, invoke(describe, input));
        state.set("parameterGroup", invoke(ensure, text(state)));
        rds.rebootDBInstance(software.amazon.awssdk.services.rds.model.RebootDbInstanceRequest.builder()
                .dbInstanceIdentifier("orders-db").build());
        for (int describe = 0; describe < 10; describe++) {
            rds.describeDBInstances(software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest.builder()
                    .dbInstanceIdentifier("orders-db").build());
        }

        java.util.List<String> states = new java.util.ArrayList<>();
        for (int check = 0; check < 3; check++) {
            JsonNode outcome = invoke(handler, text(state));
            assertThat(outcome.path("parameterApplyStatus").asText()).isEqualTo("in-sync");
            states.add(outcome.path("state").asText());
            state.set("status", outcome);
        }

        assertThat(states).containsExactly("WAIT", "WAIT", "READY");
        assertThat(state.path("status").path("changeSeen").asBoolean()).isTrue();
    }
}
