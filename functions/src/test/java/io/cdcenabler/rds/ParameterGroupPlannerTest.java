package io.cdcenabler.rds;

import static org.assertj.core.api.Assertions.assertThat;

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
        ParameterGroupPlan plan = planner.plan(request(false, Map.of("max_slot_wal_keep_size", "10240")),
                "postgres16", "shared", Map.of("max_slot_wal_keep_size", "10240", "work_mem", "8192"));

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

    @Test
    void ownGroupName_isAValidGroupNamePerFamily() {
        assertThat(ParameterGroupPlanner.ownGroupName("Orders-Aurora", "aurora-postgresql17"))
                .isEqualTo("cdc-enabler-orders-aurora-aurora-postgresql17");
        assertThat(ParameterGroupPlanner.ownGroupName("shop", "mysql8.0")).isEqualTo("cdc-enabler-shop-mysql8-0");
    }
}
