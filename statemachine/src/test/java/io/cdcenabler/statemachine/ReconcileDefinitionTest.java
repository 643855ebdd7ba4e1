package io.cdcenabler.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.contract.TaskState;
import io.cdcenabler.handler.TestLambdaEndpoint;
import io.cdcenabler.steps.RecordEnrolmentStep;
import io.cdcenabler.workflow.RepairInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The reconcile definition's shape: what the interpreter does not check but Step Functions relies on. */
class ReconcileDefinitionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonNode definition = read();
    private final JsonNode map = definition.path("States").path("VerifyEach");
    private final JsonNode items = map.path("ItemProcessor").path("States");

    private static JsonNode read() {
        try {
            return MAPPER.readTree(LocalStepFunctions.RECONCILE.toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void placeholders_areItsOwnFunctions_andTheEnrolmentStateMachine() throws IOException {
        Set<String> placeholders = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(Files.readString(LocalStepFunctions.RECONCILE));
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }
        Set<String> expected = new TreeSet<>(TestLambdaEndpoint.substitutions(TaskState.Workflow.RECONCILE).keySet());
        expected.add("EnrolmentStateMachineArn");

        assertThat(placeholders).isEqualTo(expected);
        for (TaskState state : TaskState.Workflow.RECONCILE.taskStates()) {
            JsonNode task = definition.path("States").has(state.stateName()) ? definition.path("States")
                    .path(state.stateName()) : items.path(state.stateName());
            assertThat(task.path("Resource").asText()).isEqualTo("${" + state.stateName() + "FunctionArn}");
        }
    }

    @Test
    void theMap_isDistributed_bounded_andToleratesEveryItemFailure() {
        assertThat(map.path("Type").asText()).isEqualTo("Map");
        assertThat(map.path("ItemProcessor").path("ProcessorConfig").path("Mode").asText()).isEqualTo("DISTRIBUTED");
        assertThat(map.path("ItemProcessor").path("ProcessorConfig").path("ExecutionType").asText())
                .isEqualTo("STANDARD");
        assertThat(map.path("MaxConcurrencyPath").asText()).isEqualTo("$.resolved.maxConcurrency");
        assertThat(map.path("ToleratedFailurePercentage").asInt()).isEqualTo(100);
    }

    @Test
    void everyItemState_catchesEverything_intoRecordResult_soOneTargetNeverStopsTheOthers() {
        List<String> tasks = new ArrayList<>();
        items.fieldNames().forEachRemaining(name -> {
            if ("Task".equals(items.path(name).path("Type").asText())) {
                tasks.add(name);
            }
        });
        assertThat(tasks).contains("CheckDrift", "Repair", "RebootInWindow", "RecordResult");
        for (String task : tasks) {
            JsonNode catchers = items.path(task).path("Catch");
            JsonNode last = catchers.get(catchers.size() - 1);
            assertThat(last.path("ErrorEquals").get(0).asText()).as(task).isEqualTo("States.ALL");
            assertThat(last.path("Next").asText()).as(task)
                    .isEqualTo(task.equals("RecordResult") ? "ResultNotRecorded" : "RecordResult");
        }
        assertThat(items.path("RecordResult").path("End").asBoolean()).isTrue();
        assertThat(items.path("ResultNotRecorded").path("End").asBoolean()).isTrue();
    }

    @Test
    void theRepair_waitsForTheEnrolmentRun_andTheWindowRunIsNamedOncePerTargetAndDay() {
        assertThat(items.path("Repair").path("Resource").asText())
                .isEqualTo("arn:aws:states:::states:startExecution.sync:2");
        assertThat(items.path("Repair").path("Parameters").path("StateMachineArn").asText())
                .isEqualTo("${EnrolmentStateMachineArn}");
        assertThat(items.path("RebootInWindow").path("Resource").asText())
                .isEqualTo("arn:aws:states:::states:startExecution");
        assertThat(items.path("RebootInWindow").path("Parameters").path("Name.$").asText())
                .isEqualTo("$.check.rebootLaterName");
        assertThat(items.path("RebootInWindow").path("Catch").get(0).path("ErrorEquals").get(0).asText())
                .isEqualTo("StepFunctions.ExecutionAlreadyExistsException");
        assertThat(RecordEnrolmentStep.RECONCILE_SOURCE).isEqualTo(RepairInputs.SOURCE);
    }
}
