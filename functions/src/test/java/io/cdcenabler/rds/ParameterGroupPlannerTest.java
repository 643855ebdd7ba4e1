package io.cdcenabler.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.rds.ParameterGroupPlan.Action;
import io.cdcenabler.workflow.ProvisioningRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterGroupPlannerTest {
    private final ParameterGroupPlanner planner = new ParameterGroupPlanner();

    private static ProvisioningRequest request(boolean copy, Map<String, String> extra) {
        return ProvisioningRequest.builder().instanceIdentifier("orders-db").copyParameterGroup(copy)
                .extraParameters(extra).build();
    }

    @Test
    void defaultGroup_createsOwnGroupNamedAfterTargetAndFamily() {
        ParameterGroupPlan plan = planner.plan(request(false, Map.of()), "postgres16", "default.postgres16", Map.of());

        assertThat(plan.action()).isEqualTo(Action.CREATE);
        assertThat(plan.groupName()).isEqualTo("cdc-enabler-orders-db-postgres16");
        assertThat(plan.parameters()).isEqualTo(Map.of("rds.logical_replication", "1"));
    }

    @Test
    void customGroupWithoutTheParameter_isModifiedInPlace_withOnlyWhatIsMissing() {
        ParameterGroupPlan plan = planner.plan(request(false, Map.of("wal_sender_timeout", "300000")),
                "postgres16", "shared", Map.of("wal_sender_timeout", "300000", "work_mem", "8192"));

        assertThat(plan.action()).isEqualTo(Action.MODIFY_IN_PLACE);
        assertThat(plan.groupName()).isEqualTo("shared");
        assertThat(plan.parameters()).isEqualTo(Map.of("rds.logical_replication", "1"));
    }

    @Test
    void customGroupWithCopy_copiesToOwnGroup() {
        ParameterGroupPlan plan = planner.plan(request(true, Map.of()), "postgres16", "shared", Map.of());

        assertThat(plan.action()).isEqualTo(Action.COPY);
        assertThat(plan.sourceGroupName()).isEqualTo("shared");
        assertThat(plan.groupName()).isEqualTo("cdc-enabler-orders-db-postgres16");
    }

    @Test
    void ownGroupWithCopy_isModifiedInPlace_notCopiedAgain() {
        ParameterGroupPlan plan = planner.plan(request(true, Map.of("work_mem", "4096")), "postgres16",
                "cdc-enabler-orders-db-postgres16", Map.of("rds.logical_replication", "1"));

        assertThat(plan.action()).isEqualTo(Action.MODIFY_IN_PLACE);
        assertThat(plan.parameters()).isEqualTo(Map.of("work_mem", "4096"));
    }

    @Test
    void everythingAlreadySet_needsNothing() {
        ParameterGroupPlan plan = planner.plan(request(true, Map.of("work_mem", "4096")), "postgres16", "shared",
                Map.of("rds.logical_replication", "1", "work_mem", "4096"));

        assertThat(plan.action()).isEqualTo(Action.NOTHING);
        assertThat(plan.parameters()).isEmpty();
    }

    @Test
    void logicalReplicationZero_isNotEnough() {
        ParameterGroupPlan plan = planner.plan(request(false, Map.of()), "postgres16", "shared",
                Map.of("rds.logical_replication", "0"));

        assertThat(plan.action()).isEqualTo(Action.MODIFY_IN_PLACE);
    }

    private static ProvisioningRequest capped(String cap) {
        return ProvisioningRequest.builder().instanceIdentifier("orders-db").maxSlotWalKeepSize(cap).build();
    }

    @Test
    void retentionCap_isWrittenInMegabytes_withTheCdcParameters() {
        assertThat(planner.desiredParameters(capped("50GB"))).containsExactly(
                Map.entry("rds.logical_replication", "1"), Map.entry("max_slot_wal_keep_size", "51200"));
        assertThat(planner.desiredParameters(capped("off"))).containsEntry("max_slot_wal_keep_size", "-1");
        assertThat(planner.desiredParameters(capped(null))).doesNotContainKey("max_slot_wal_keep_size");
    }

    @Test
    void retentionCapOnly_isModifiedInPlace_andNeedsNoReboot() {
        ParameterGroupPlan plan = planner.plan(capped("20480MB"), "postgres16", "cdc-enabler-orders-db-postgres16",
                Map.of("rds.logical_replication", "1", "max_slot_wal_keep_size", "10240"));

        assertThat(plan.action()).isEqualTo(Action.MODIFY_IN_PLACE);
        assertThat(plan.parameters()).isEqualTo(Map.of("max_slot_wal_keep_size", "20480"));
        assertThat(plan.parameters().keySet()).noneMatch(ParameterGroupPlanner::needsReboot);
        assertThat(ParameterGroupPlanner.needsReboot("rds.logical_replication")).isTrue();
        assertThat(ParameterGroupPlanner.needsReboot("work_mem")).isTrue();
    }

    @Test
    void retentionCapAlreadySet_needsNothing() {
        ParameterGroupPlan plan = planner.plan(capped("10GB"), "postgres16", "shared",
                Map.of("rds.logical_replication", "1", "max_slot_wal_keep_size", "10240"));

        assertThat(plan.action()).isEqualTo(Action.NOTHING);
    }

    @Test
    void unresolvedShare_isNeverWritten() {
        assertThatThrownBy(() -> planner.desiredParameters(capped("20%")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("20%");
    }

    @Test
    void ownGroupName_isAValidGroupNamePerFamily() {
        assertThat(ParameterGroupPlanner.ownGroupName("Orders-Aurora", "aurora-postgresql17"))
                .isEqualTo("cdc-enabler-orders-aurora-aurora-postgresql17");
        assertThat(ParameterGroupPlanner.ownGroupName("shop", "mysql8.0")).isEqualTo("cdc-enabler-shop-mysql8-0");
    }
}
