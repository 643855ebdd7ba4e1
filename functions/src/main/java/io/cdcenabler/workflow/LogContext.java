package io.cdcenabler.workflow;

import java.util.function.Supplier;

/**
 * The Step Functions execution a handler works for, so every JSON log line of the step can carry it. A plain
 * thread-local, not the SLF4J MDC: slf4j-simple, the binding in the Lambda jar, keeps no MDC.
 */
public final class LogContext {
    private static final ThreadLocal<String> EXECUTION = new ThreadLocal<>();

    private LogContext() {
    }

    /** The current execution's name, or null outside a step. */
    public static String execution() {
        return EXECUTION.get();
    }

    /** Runs {@code step} with {@code execution} as the current execution's name (null: none). */
    public static <T> T within(String execution, Supplier<T> step) {
        if (execution == null) {
            return step.get();
        }
        String previous = EXECUTION.get();
        EXECUTION.set(execution);
        try {
            return step.get();
        } finally {
            if (previous == null) {
                EXECUTION.remove();
            } else {
                EXECUTION.set(previous);
            }
        }
    }
}
