package io.cdcenabler.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.contract.StepPermissions;
import io.cdcenabler.contract.TaskState;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HandlerPermissionsTest {
    @Test
    void aCallTheRoleLacks_isNamedWithItsHandler() {
        Map<TaskState, Set<String>> used = Map.of(TaskState.CHECK_STATUS,
                Set.of("rds:DescribeDBInstances", "rds:ModifyDBInstance"));

        assertThat(HandlerPermissions.callsWithoutGrant(used)).singleElement().asString()
                .startsWith("CheckStatus called rds:ModifyDBInstance, which its role");
    }

    @Test
    void aGrantNoHandlerUsed_isNamedWithItsRole() {
        Map<TaskState, Set<String>> used = new EnumMap<>(TaskState.class);
        for (TaskState state : TaskState.values()) {
            used.put(state, StepPermissions.actions(state));
        }
        used.put(TaskState.REBOOT, Set.of("rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:RebootDBInstance"));

        assertThat(HandlerPermissions.callsWithoutGrant(used)).isEmpty();
        assertThat(HandlerPermissions.grantsWithoutCall(used, TaskState.Workflow.ENROLMENT)).singleElement().asString()
                .startsWith("Reboot's role grants rds:RebootDBCluster, which no scenario's Reboot handler called");
    }
}
