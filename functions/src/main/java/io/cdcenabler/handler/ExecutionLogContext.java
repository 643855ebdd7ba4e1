package io.cdcenabler.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.workflow.LogContext;
import java.util.function.Supplier;

/**
 * Keys every log line a step writes with the Step Functions execution's name, which the definition's first state
 * records at {@code $.execution.name}.
 */
final class ExecutionLogContext {
    private ExecutionLogContext() {
    }

    /** Runs {@code step} with the input's execution name (if any) as the {@link LogContext}. */
    static <T> T within(JsonNode input, Supplier<T> step) {
        JsonNode name = input.path("execution").path("name");
        return LogContext.within(name.isTextual() ? name.asText() : null, step);
    }
}
