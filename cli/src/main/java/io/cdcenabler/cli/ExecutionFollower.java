package io.cdcenabler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Follows one execution until it ends: reads its history every poll interval (oldest first, page by page, up to
 * 1,000 events a page), handles only the events not seen before, and prints a line per state entered or exited, task
 * failure, retry and wait; then describes the ended execution. Throttled calls are retried with backoff. It only
 * reads: the execution never depends on it.
 */
final class ExecutionFollower {
    /**
     * The state machine's Wait states and where each reads its end in the state's input, as JSON pointers that
     * mirror the ASL's TimestampPath and SecondsPath (a test keeps them in step with the definition).
     */
    static final Map<String, WaitEnd> WAIT_STATES = Map.of(
            "WaitForMaintenanceWindow", new WaitEnd("/reboot/waitUntil", false),
            "WaitForParameterGroup", new WaitEnd("/target/request/waitSeconds", true),
            "WaitForStatus", new WaitEnd("/target/request/waitSeconds", true));
    static final int HISTORY_PAGE_SIZE = 1000;
    static final int MAX_CONSECUTIVE_THROTTLES = 8;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    /** Where a Wait state's end is: a timestamp, or a number of seconds after the state was entered. */
    record WaitEnd(String inputPointer, boolean seconds) {
    }

    /** The ended execution as DescribeExecution reports it, and the state whose task failed last (or null). */
    record Ended(DescribeExecutionResponse execution, String lastFailedState) {
    }

    private final SfnClient sfn;
    private final String executionArn;
    private final Duration pollInterval;
    private final PrintWriter progress;

    private long lastSeenEventId;
    private final Map<String, Instant> enteredAt = new HashMap<>();
    private String currentState;
    private int attemptsInState;
    private String failureSinceScheduled;
    private String lastFailedState;

    /** A follower that prints progress to {@code progress}, or nowhere when it is null. */
    ExecutionFollower(SfnClient sfn, String executionArn, Duration pollInterval, PrintWriter progress) {
        this.sfn = sfn;
        this.executionArn = executionArn;
        this.pollInterval = pollInterval;
        this.progress = progress;
    }

    Ended follow() {
        while (!withThrottleRetry(this::readNewEvents)) {
            sleep(pollInterval);
        }
        DescribeExecutionResponse execution = withThrottleRetry(() -> sfn.describeExecution(
                DescribeExecutionRequest.builder().executionArn(executionArn).build()));
        return new Ended(execution, lastFailedState);
    }

    /**
     * Reads the whole history, handling only the events not seen before; true once the execution has ended. Each
     * poll starts at the first page: a next token is only documented to lead to the page after it, and a workflow
     * run of this state machine stays within a page or two.
     */
    private boolean readNewEvents() {
        boolean ended = false;
        String token = null;
        do {
            GetExecutionHistoryResponse page = sfn.getExecutionHistory(GetExecutionHistoryRequest.builder()
                    .executionArn(executionArn).reverseOrder(false).maxResults(HISTORY_PAGE_SIZE)
                    .includeExecutionData(true).nextToken(token).build());
            for (HistoryEvent event : page.events()) {
                if (event.id() > lastSeenEventId) {
                    lastSeenEventId = event.id();
                    ended |= handle(event);
                }
            }
            token = page.nextToken();
        } while (token != null);
        return ended;
    }

    /** Prints what the event means for a person following along; true when it ends the execution. */
    private boolean handle(HistoryEvent event) {
        Instant at = event.timestamp();
        switch (event.type()) {
            case TASK_STATE_ENTERED, CHOICE_STATE_ENTERED, PASS_STATE_ENTERED, FAIL_STATE_ENTERED,
                    SUCCEED_STATE_ENTERED, MAP_STATE_ENTERED, PARALLEL_STATE_ENTERED -> {
                entered(event);
                print(at, currentState + " entered");
            }
            case WAIT_STATE_ENTERED -> {
                entered(event);
                Instant until = waitEnd(currentState, event.stateEnteredEventDetails().input(), at);
                print(at, currentState + " entered, waiting" + (until == null ? "" : " until " + until));
            }
            case TASK_STATE_EXITED, CHOICE_STATE_EXITED, PASS_STATE_EXITED, WAIT_STATE_EXITED, SUCCEED_STATE_EXITED,
                    MAP_STATE_EXITED, PARALLEL_STATE_EXITED -> {
                String name = event.stateExitedEventDetails().name();
                Instant since = enteredAt.remove(name);
                print(at, name + " exited" + (since == null ? "" : " after " + seconds(Duration.between(since, at))));
            }
            case LAMBDA_FUNCTION_SCHEDULED, TASK_SCHEDULED, ACTIVITY_SCHEDULED -> {
                attemptsInState++;
                if (failureSinceScheduled != null) {
                    print(at, currentState + " retry " + (attemptsInState - 1) + " after " + failureSinceScheduled);
                    failureSinceScheduled = null;
                }
            }
            case EVALUATION_FAILED -> print(at, event.evaluationFailedEventDetails().state() + " failed to evaluate: "
                    + ExecutionReport.describeError(event.evaluationFailedEventDetails().error(),
                            event.evaluationFailedEventDetails().cause()));
            case EXECUTION_SUCCEEDED, EXECUTION_FAILED, EXECUTION_TIMED_OUT, EXECUTION_ABORTED -> {
                return true;
            }
            default -> taskFailedIfAFailure(event);
        }
        return false;
    }

    /** The events of a failed task attempt; each kind carries its error and cause in its own details. */
    private void taskFailedIfAFailure(HistoryEvent event) {
        Instant at = event.timestamp();
        switch (event.type()) {
            case LAMBDA_FUNCTION_FAILED -> taskFailed(at, event.lambdaFunctionFailedEventDetails().error(),
                    event.lambdaFunctionFailedEventDetails().cause());
            case LAMBDA_FUNCTION_TIMED_OUT -> taskFailed(at, event.lambdaFunctionTimedOutEventDetails().error(),
                    event.lambdaFunctionTimedOutEventDetails().cause());
            case LAMBDA_FUNCTION_SCHEDULE_FAILED -> taskFailed(at,
                    event.lambdaFunctionScheduleFailedEventDetails().error(),
                    event.lambdaFunctionScheduleFailedEventDetails().cause());
            case LAMBDA_FUNCTION_START_FAILED -> taskFailed(at, event.lambdaFunctionStartFailedEventDetails().error(),
                    event.lambdaFunctionStartFailedEventDetails().cause());
            case TASK_FAILED -> taskFailed(at, event.taskFailedEventDetails().error(),
                    event.taskFailedEventDetails().cause());
            case TASK_TIMED_OUT -> taskFailed(at, event.taskTimedOutEventDetails().error(),
                    event.taskTimedOutEventDetails().cause());
            case ACTIVITY_FAILED -> taskFailed(at, event.activityFailedEventDetails().error(),
                    event.activityFailedEventDetails().cause());
            default -> {
            }
        }
    }

    private void entered(HistoryEvent event) {
        currentState = event.stateEnteredEventDetails().name();
        enteredAt.put(currentState, event.timestamp());
        attemptsInState = 0;
        failureSinceScheduled = null;
    }

    private void taskFailed(Instant at, String error, String cause) {
        String failure = ExecutionReport.describeError(error, cause);
        print(at, currentState + " task failed: " + failure);
        failureSinceScheduled = error == null ? "a failure" : error;
        lastFailedState = currentState;
    }

    /** When the Wait state ends, from its input as the ASL reads it; null when the input does not say. */
    static Instant waitEnd(String state, String input, Instant entered) {
        WaitEnd end = WAIT_STATES.get(state);
        if (end == null || input == null) {
            return null;
        }
        try {
            JsonNode value = Output.JSON.readTree(input).at(end.inputPointer());
            if (end.seconds()) {
                return value.canConvertToLong() ? entered.plusSeconds(value.asLong()) : null;
            }
            return value.isTextual() ? Instant.parse(value.asText()) : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | DateTimeParseException e) {
            return null;
        }
    }

    private <T> T withThrottleRetry(Supplier<T> call) {
        for (int throttles = 1; ; throttles++) {
            try {
                return call.get();
            } catch (SdkServiceException e) {
                if (!e.isThrottlingException() || throttles > MAX_CONSECUTIVE_THROTTLES) {
                    throw e;
                }
                sleep(backoff(pollInterval, throttles));
            }
        }
    }

    /** The poll interval doubled per consecutive throttle, at most a minute (zero stays zero, for tests). */
    static Duration backoff(Duration base, int throttles) {
        Duration wait = base.multipliedBy(1L << Math.min(throttles, 10));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while following the execution", e);
        }
    }

    private void print(Instant at, String line) {
        if (progress != null) {
            progress.println(CLOCK.format(at) + "  " + line);
            progress.flush();
        }
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
