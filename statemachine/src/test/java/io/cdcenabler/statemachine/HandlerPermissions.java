package io.cdcenabler.statemachine;

import io.cdcenabler.contract.StepPermissions;
import io.cdcenabler.contract.TaskState;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Compares the IAM actions each handler's SDK calls needed in the workflow scenarios with what its role grants
 * ({@link StepPermissions}, from which the stack builds the role): a call the role lacks fails on AWS with
 * AccessDenied, a grant no scenario uses is more than the handler needs (or a path no scenario covers).
 */
final class HandlerPermissions {
    private HandlerPermissions() {
    }

    /** Every call a handler made that its role does not grant, one line each. */
    static List<String> callsWithoutGrant(Map<TaskState, Set<String>> used) {
        List<String> problems = new ArrayList<>();
        used.forEach((state, actions) -> actions.stream()
                .filter(action -> !StepPermissions.actions(state).contains(action))
                .forEach(action -> problems.add(state.stateName() + " called " + action + ", which its role "
                        + "(StepPermissions." + state + ") does not grant: it would fail with AccessDenied on AWS")));
        return problems;
    }

    /** Every action a role grants that its handler never needed in the scenarios, one line each. */
    static List<String> grantsWithoutCall(Map<TaskState, Set<String>> used, TaskState.Workflow workflow) {
        return grantsWithoutCall(used, workflow.taskStates());
    }

    /** As above for the {@code states} a test class covers (the others' grants are another class's to prove). */
    static List<String> grantsWithoutCall(Map<TaskState, Set<String>> used, List<TaskState> states) {
        List<String> problems = new ArrayList<>();
        for (TaskState state : states) {
            Set<String> actions = used.getOrDefault(state, Set.of());
            StepPermissions.actions(state).stream().filter(action -> !actions.contains(action))
                    .forEach(action -> problems.add(state.stateName() + "'s role grants " + action + ", which no "
                            + "scenario's " + state.stateName() + " handler called: an excess grant, or a scenario "
                            + "missing"));
        }
        return problems;
    }

    /** Whether every scenario (test method) of {@code testClass} is among {@code ran}. */
    static boolean allScenariosRan(Class<?> testClass, Set<String> ran) {
        return Arrays.stream(testClass.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(Test.class) || m.isAnnotationPresent(ParameterizedTest.class))
                .map(Method::getName)
                .allMatch(ran::contains);
    }
}
