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
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.workflow.InstanceBusyException;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.TerminalStatusException;
import io.cdcenabler.workflow.ThrottledException;
import io.cdcenabler.workflow.WaitTimeoutException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnsureParameterGroupHandlerTest {
    /** EnsureParameterGroup's decisions on a settled target (RDS's asynchronous apply is off here). */
    private final FakeRds rds = FakeRdsWorld.standard().asynchronousApply(false);
    private final DescribeTargetHandler describe =
            new DescribeTargetHandler(new TargetResolver(rds, FakeRdsWorld.DEFAULTS));
    private final EnsureParameterGroupHandler handler =
            new EnsureParameterGroupHandler(new ParameterGroupEnsurer(rds, new ParameterGroupPlanner()));

    private String stateFor(String input) {
        return text(stateWith(input, invoke(describe, input)));
    }

    @Test
    void defaultGroup_getsOwnGroupWithLogicalReplicationAttachedPendingReboot() {
        JsonNode outcome = invoke(handler, stateFor(event("manual-instance.json")));

        assertThat(outcome.path("parameterGroupName").asText()).isEqualTo("cdc-enabler-orders-db-postgres16");
        assertThat(outcome.path("created").asBoolean()).isTrue();
        assertThat(outcome.path("modified").asBoolean()).isTrue();
        assertThat(outcome.path("attached").asBoolean()).isTrue();
        assertThat(outcome.path("rebootRequired").asBoolean()).isTrue();
        FakeRds.Group group = rds.dbParameterGroup("cdc-enabler-orders-db-postgres16");
        assertThat(group.family()).isEqualTo("postgres16");
        assertThat(group.values()).containsEntry("rds.logical_replication", "1");
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo("cdc-enabler-orders-db-postgres16");
        assertThat(rds.instance("orders-db").applyStatus()).isEqualTo("pending-reboot");
        assertThat(rds.dbParameterGroup("default.postgres16").values()).isEmpty();
        assertThat(rds.totalReboots()).isZero();
    }

    @Test
    void secondRun_changesNothing_andStillSaysRebootRequiredWhilePending() {
        String state = stateFor(event("manual-instance.json"));
        invoke(handler, state);
        String after = rds.snapshot();

        JsonNode second = invoke(handler, state);

        assertThat(rds.snapshot()).isEqualTo(after);
        assertThat(second.path("created").asBoolean()).isFalse();
        assertThat(second.path("modified").asBoolean()).isFalse();
        assertThat(second.path("attached").asBoolean()).isFalse();
        assertThat(second.path("rebootRequired").asBoolean()).isTrue();
        assertThat(second.path("parameterGroupName").asText()).isEqualTo("cdc-enabler-orders-db-postgres16");
    }

    @Test
    void runAfterAPartialFailure_reusesTheGroupItCreated() {
        String state = stateFor(event("manual-instance.json"));
        rds.failNext("ModifyDBInstance", FakeRds.invalidInstanceState("orders-db"));

        assertThatThrownBy(() -> invoke(handler, state)).isInstanceOf(InstanceBusyException.class)
                .hasMessageContaining("orders-db");
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo("default.postgres16");
        JsonNode retry = invoke(handler, state);

        assertThat(retry.path("created").asBoolean()).isFalse();
        assertThat(retry.path("modified").asBoolean()).isFalse();
        assertThat(retry.path("attached").asBoolean()).isTrue();
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo("cdc-enabler-orders-db-postgres16");
    }

    @Test
    void sharedCustomGroup_isModifiedInPlace_andReportsWhoElseNowWaitsForAReboot() {
        JsonNode outcome = invoke(handler, stateFor(event("manual-shared-group.json")));

        assertThat(outcome.path("parameterGroupName").asText()).isEqualTo("shared-pg16");
        assertThat(outcome.path("created").asBoolean()).isFalse();
        assertThat(outcome.path("modified").asBoolean()).isTrue();
        assertThat(outcome.path("attached").asBoolean()).isFalse();
        assertThat(outcome.path("sharedWith")).extracting(JsonNode::asText).containsExactly("reporting-db");
        assertThat(rds.dbParameterGroup("shared-pg16").values()).containsEntry("rds.logical_replication", "1")
                .containsEntry("max_slot_wal_keep_size", "10240").containsEntry("log_min_duration_statement", "500");
        assertThat(rds.instance("billing-db").applyStatus()).isEqualTo("pending-reboot");
        assertThat(rds.instance("reporting-db").applyStatus()).isEqualTo("pending-reboot");
    }

    @Test
    void sharedCustomGroupWithCopy_copiesItKeepingItsSettings_andLeavesTheOthersAlone() {
        JsonNode outcome = invoke(handler, stateFor(event("manual-shared-group-copy.json")));

        assertThat(outcome.path("parameterGroupName").asText()).isEqualTo("cdc-enabler-billing-db-postgres16");
        assertThat(outcome.path("created").asBoolean()).isTrue();
        assertThat(outcome.path("attached").asBoolean()).isTrue();
        assertThat(outcome.path("sharedWith")).isEmpty();
        assertThat(rds.dbParameterGroup("cdc-enabler-billing-db-postgres16").values())
                .isEqualTo(Map.of("rds.logical_replication", "1", "max_slot_wal_keep_size", "10240",
                        "log_min_duration_statement", "500"));
        assertThat(rds.dbParameterGroup("shared-pg16").values()).doesNotContainKey("rds.logical_replication");
        assertThat(rds.instance("billing-db").parameterGroup()).isEqualTo("cdc-enabler-billing-db-postgres16");
        assertThat(rds.instance("reporting-db").applyStatus()).isEqualTo("in-sync");
    }

    @Test
    void customGroupAlreadyEnabledAndInSync_needsNothing() {
        rds.addDbParameterGroup("cdc-ready", "postgres16", Map.of("rds.logical_replication", "1",
                "max_slot_wal_keep_size", "20480"));
        rds.useDbParameterGroup("billing-db", "cdc-ready");
        String before = rds.snapshot();

        JsonNode outcome = invoke(handler, stateFor("{\"instanceIdentifier\": \"billing-db\"}"));

        assertThat(outcome.path("parameterGroupName").asText()).isEqualTo("cdc-ready");
        assertThat(outcome.path("rebootRequired").asBoolean()).isFalse();
        assertThat(outcome.path("modified").asBoolean()).isFalse();
        assertThat(rds.snapshot()).isEqualTo(before);
    }

    @Test
    void readyGroupWithoutTheRetentionCap_getsTheDefaultCapImmediately_withoutAReboot() {
        rds.addDbParameterGroup("cdc-ready", "postgres16", Map.of("rds.logical_replication", "1"));
        rds.useDbParameterGroup("billing-db", "cdc-ready");

        JsonNode outcome = invoke(handler, stateFor("{\"instanceIdentifier\": \"billing-db\"}"));

        assertThat(rds.dbParameterGroup("cdc-ready").values()).as("20 % of billing-db's 100 GiB")
                .containsEntry("max_slot_wal_keep_size", "20480");
        assertThat(outcome.path("modified").asBoolean()).as("nothing pending-reboot was set").isFalse();
        assertThat(outcome.path("rebootRequired").asBoolean()).isFalse();
        assertThat(rds.instance("billing-db").applyStatus()).isEqualTo("in-sync");
    }

    @Test
    void retentionCapWithAStaticParameter_stillGoesPendingReboot() {
        rds.addDbParameterGroup("cdc-ready", "postgres16", Map.of("rds.logical_replication", "1"));
        rds.useDbParameterGroup("billing-db", "cdc-ready");

        JsonNode outcome = invoke(handler, stateFor("""
                {"instanceIdentifier": "billing-db", "maxSlotWalKeepSize": "off",
                 "extraParameters": {"max_wal_senders": "20"}}"""));

        assertThat(rds.dbParameterGroup("cdc-ready").values()).containsEntry("max_slot_wal_keep_size", "-1")
                .containsEntry("max_wal_senders", "20");
        assertThat(outcome.path("modified").asBoolean()).isTrue();
        assertThat(outcome.path("rebootRequired").asBoolean()).isTrue();
        assertThat(rds.instance("billing-db").applyStatus()).isEqualTo("pending-reboot");
    }

    @Test
    void auroraCluster_getsOwnClusterParameterGroup_andEveryMemberGoesPendingReboot() {
        JsonNode outcome = invoke(handler, stateFor(event("manual-aurora-cluster.json")));

        assertThat(outcome.path("parameterGroupName").asText())
                .isEqualTo("cdc-enabler-orders-aurora-aurora-postgresql16");
        assertThat(outcome.path("rebootRequired").asBoolean()).isTrue();
        assertThat(rds.clusterParameterGroup("cdc-enabler-orders-aurora-aurora-postgresql16").values())
                .containsEntry("rds.logical_replication", "1");
        assertThat(rds.dbParameterGroup("cdc-enabler-orders-aurora-aurora-postgresql16")).isNull();
        assertThat(rds.cluster("orders-aurora").parameterGroup())
                .isEqualTo("cdc-enabler-orders-aurora-aurora-postgresql16");
        assertThat(rds.instance("orders-aurora-1").clusterApplyStatus()).isEqualTo("pending-reboot");
        assertThat(rds.instance("orders-aurora-2").clusterApplyStatus()).isEqualTo("pending-reboot");
    }

    @Test
    void multiAzDbCluster_usesAClusterParameterGroupToo() {
        JsonNode outcome = invoke(handler, stateFor(event("manual-multi-az-cluster.json")));

        assertThat(outcome.path("parameterGroupName").asText()).isEqualTo("cdc-enabler-orders-maz-postgres16");
        assertThat(rds.clusterParameterGroup("cdc-enabler-orders-maz-postgres16").values())
                .containsEntry("rds.logical_replication", "1");
        assertThat(rds.cluster("orders-maz").parameterGroup()).isEqualTo("cdc-enabler-orders-maz-postgres16");
    }

    @Test
    void multiAzDbCluster_getsItsNewGroupNow_notInTheNextMaintenanceWindow() {
        invoke(handler, stateFor(event("manual-multi-az-cluster.json")));

        assertThat(rds.cluster("orders-maz").parameterGroup()).as("ModifyDBCluster with ApplyImmediately")
                .isEqualTo("cdc-enabler-orders-maz-postgres16");
        assertThat(rds.instance("orders-maz-instance-1").clusterApplyStatus()).isEqualTo("pending-reboot");
    }

    @Test
    void busyTarget_getsItsGroupReady_andTheAttachWaitsForTheStatusLoopInsteadOfFailing() {
        rds.instance("orders-db").status("backing-up");
        ObjectNode state = stateWith(event("manual-instance.json"), invoke(describe, event("manual-instance.json")));

        JsonNode waiting = invoke(handler, text(state));
        state.set("parameterGroup", waiting);
        rds.instance("orders-db").status("available");
        JsonNode attached = invoke(handler, text(state));

        assertThat(waiting.path("waitForTarget").asBoolean()).isTrue();
        assertThat(waiting.path("waits").asInt()).isEqualTo(1);
        assertThat(waiting.path("created").asBoolean()).isTrue();
        assertThat(rds.calls("ModifyDBInstance")).isEqualTo(1);
        assertThat(attached.path("waitForTarget").asBoolean()).isFalse();
        assertThat(attached.path("created").asBoolean()).as("adds up over the calls of the run").isTrue();
        assertThat(attached.path("attached").asBoolean()).isTrue();
        assertThat(attached.path("rebootRequired").asBoolean()).isTrue();
        assertThat(rds.instance("orders-db").parameterGroup()).isEqualTo("cdc-enabler-orders-db-postgres16");
    }

    @Test
    void targetBusyForLongerThanTheWaitLimit_endsWithWaitTimeout_namingWhy() {
        rds.instance("orders-db").status("modifying");
        String input = event("manual-instance-short-wait.json");
        ObjectNode state = stateWith(input, invoke(describe, input));

        for (int wait = 1; wait < 3; wait++) {
            state.set("parameterGroup", invoke(handler, text(state)));
            assertThat(state.path("parameterGroup").path("waits").asInt()).isEqualTo(wait);
        }

        assertThatThrownBy(() -> invoke(handler, text(state))).isInstanceOf(WaitTimeoutException.class)
                .hasMessageContaining("orders-db stayed modifying for 3 checks")
                .hasMessageContaining("could not be attached");
        assertThat(rds.calls("ModifyDBInstance")).isZero();
    }

    @Test
    void unrecoverableStatus_failsAtOnce_andChangesNothing() {
        rds.instance("orders-db").status("incompatible-restore");
        String state = stateFor(event("manual-instance.json"));
        String before = rds.snapshot();

        assertThatThrownBy(() -> invoke(handler, state)).isInstanceOf(TerminalStatusException.class)
                .hasMessageContaining("orders-db is incompatible-restore");
        assertThat(rds.snapshot()).isEqualTo(before);
    }

    @Test
    void sharedAuroraClusterGroup_reportsTheOtherClusters() {
        rds.addAuroraCluster("other-aurora", "16.4", "other-aurora-1").tag(FakeRdsWorld.TAG_KEY, "true");
        rds.addClusterParameterGroup("team-apg16", "aurora-postgresql16", Map.of());
        rds.useClusterParameterGroup("orders-aurora", "team-apg16");
        rds.useClusterParameterGroup("other-aurora", "team-apg16");

        JsonNode outcome = invoke(handler, stateFor(event("manual-aurora-cluster.json")));

        assertThat(outcome.path("sharedWith")).extracting(JsonNode::asText).containsExactly("other-aurora");
        assertThat(rds.instance("other-aurora-1").clusterApplyStatus()).isEqualTo("pending-reboot");
    }

    @Test
    void throttledParameterRead_isAThrottledException_andChangesNothing() {
        String state = stateFor(event("manual-shared-group.json"));
        String before = rds.snapshot();
        rds.failNext("DescribeDBParameters", FakeRds.throttling());

        assertThatThrownBy(() -> invoke(handler, state)).isInstanceOf(ThrottledException.class);

        assertThat(rds.snapshot()).isEqualTo(before);
    }

    @Test
    void unknownOrFixedExtraParameter_isInvalidInputNamingIt_beforeAnythingChanges() {
        for (String[] bad : new String[][] {{"manual-bad-unknown-extra-parameter.json", "wal_levle"},
                {"manual-bad-fixed-extra-parameter.json", "archive_command"}}) {
            String state = stateFor(event(bad[0]));
            String before = rds.snapshot();

            assertThatThrownBy(() -> invoke(handler, state)).as(bad[0]).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining(bad[1]).hasMessageContaining("postgres16");

            assertThat(rds.snapshot()).isEqualTo(before);
        }
    }

    @Test
    void skippedTarget_isInvalidInput_andChangesNothing() {
        String input = event("rds-event-mysql-created.json");
        String state = stateFor(input);
        String before = rds.snapshot();

        assertThatThrownBy(() -> invoke(handler, state)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("skipped");
        assertThatThrownBy(() -> invoke(handler, "{}")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("$.target");
        assertThat(rds.snapshot()).isEqualTo(before);
    }
}
