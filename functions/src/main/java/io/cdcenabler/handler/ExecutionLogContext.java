package io.cdcenabler.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.workflow.LogContext;
import io.cdcenabler.workflow.WorkflowState;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keys every log line a step writes with the Step Functions execution's name, which the definition's first state
 * records at {@code $.execution.name}.
 */
final class ExecutionLogContext {
    private ExecutionLogContext() {
    }

    /**
     * What every Task handler after DescribeTarget does: reads the execution's state, runs {@code step} on it with
     * the execution's name as the log context, and writes the step's result.
     */
    static void handleState(InputStream input, OutputStream output, Function<WorkflowState, ?> step) {
        JsonNode state = Json.read(input);
        Json.write(output, within(state, () -> step.apply(Json.convert(state, WorkflowState.class))));
    }

    /** As {@link #handleState}, for the reconcile machine's states, whose input is a {@code type}, not the state. */
    static <T> void handle(InputStream input, OutputStream output, Class<T> type, Function<T, ?> step) {
        JsonNode state = Json.read(input);
        Json.write(output, within(state, () -> step.apply(Json.convert(state, type))));
    }

    /** Runs {@code step} with the input's execution name (if any) as the {@link LogContext}. */
    static <T> T within(JsonNode input, Supplier<T> step) {
        JsonNode name = input.path("execution").path("name");
        return LogContext.within(name.isTextual() ? name.asText() : null, step);
    }
}
