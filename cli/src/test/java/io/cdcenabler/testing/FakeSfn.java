package io.cdcenabler.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnServiceClientConfiguration;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionRequest;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAbortedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStartedEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionSucceededEventDetails;
import software.amazon.awssdk.services.sfn.model.ExecutionTimedOutEventDetails;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryRequest;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.LambdaFunctionFailedEventDetails;
import software.amazon.awssdk.services.sfn.model.LambdaFunctionScheduledEventDetails;
import software.amazon.awssdk.services.sfn.model.LambdaFunctionSucceededEventDetails;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateEnteredEventDetails;
import software.amazon.awssdk.services.sfn.model.StateExitedEventDetails;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;

/**
 * An in-memory Step Functions that behaves like the service for the calls {@code cdc-enabler start} makes.
 * StartExecution knows only the state machines created here (StateMachineDoesNotExistException otherwise) and is
 * idempotent as AWS is: the same name and input while the execution runs return the same execution, the same name
 * with another input (or after the end) is ExecutionAlreadyExistsException. Each execution follows a {@link Script}
 * of history events that grows poll by poll: the next batch of events appears when a GetExecutionHistory call comes
 * after one that reached the end of the history, as time passes between a client's polls. History pages are small
 * (3 events by default), so paging is exercised; a token from another execution is InvalidTokenException.
 * Throttling and an unreachable endpoint can be injected.
 */
public final class FakeSfn implements SfnClient {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    public static final Instant START = Instant.parse("2026-11-24T09:00:00Z");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Set<String> stateMachines = new LinkedHashSet<>();
    private final Map<String, Execution> executions = new LinkedHashMap<>();
    private final Deque<Script> scripts = new ArrayDeque<>();
    private final Map<String, Integer> throttleNext = new HashMap<>();
    private final Map<String, Integer> calls = new HashMap<>();
    private int historyPageSize = 3;
    private boolean unreachable;

    /** What was started: the execution's name, ARN, input as sent, and its status now. */
    public record StartedExecution(String name, String executionArn, String input, ExecutionStatus status) {
    }

    private static final class Execution {
        final String stateMachineArn;
        final String name;
        final String arn;
        final String input;
        final Instant startDate;
        final Script script;
        final List<HistoryEvent> history = new ArrayList<>();
        int nextBatch;
        boolean clientAtEnd;
        ExecutionStatus status = ExecutionStatus.RUNNING;

        Execution(String stateMachineArn, String name, String input, Instant startDate, Script script) {
            this.stateMachineArn = stateMachineArn;
            this.name = name;
            this.arn = stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
            this.input = input;
            this.startDate = startDate;
            this.script = script;
        }

        void appendNextBatch() {
            if (nextBatch >= script.batches.size()) {
                return;
            }
            for (ScriptedEvent scripted : script.batches.get(nextBatch++)) {
                long id = history.size() + 1;
                history.add(scripted.event.toBuilder().id(id).previousEventId(id - 1)
                        .timestamp(startDate.plus(scripted.after)).build());
            }
            if (nextBatch == script.batches.size() && script.endStatus != null) {
                status = script.endStatus;
            }
        }
    }

    /** Creates a state machine and returns its ARN. */
    public synchronized String createStateMachine(String name) {
        String arn = "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name;
        stateMachines.add(arn);
        return arn;
    }

    /** The history the next started execution follows; without one it stays RUNNING with only ExecutionStarted. */
    public synchronized void scriptNextExecution(Script script) {
        scripts.add(script);
    }

    /** The next {@code count} calls of the operation (e.g. "StartExecution") fail with ThrottlingException. */
    public synchronized void throttleNext(String operation, int count) {
        throttleNext.put(operation, count);
    }

    /** Every call fails as when the endpoint cannot be reached (SdkClientException, no response). */
    public synchronized void unreachable(boolean value) {
        unreachable = value;
    }

    public synchronized void historyPageSize(int size) {
        historyPageSize = size;
    }

    /** How many times the operation was called, throttled calls included. */
    public synchronized int calls(String operation) {
        return calls.getOrDefault(operation, 0);
    }

    public synchronized List<StartedExecution> executions() {
        return executions.values().stream()
                .map(e -> new StartedExecution(e.name, e.arn, e.input, e.status)).toList();
    }

    @Override
    public synchronized StartExecutionResponse startExecution(StartExecutionRequest request) {
        call("StartExecution");
        String machine = request.stateMachineArn();
        if (!stateMachines.contains(machine)) {
            throw error(StateMachineDoesNotExistException.builder(), "StateMachineDoesNotExist",
                    "State Machine Does Not Exist: '" + machine + "'");
        }
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw error(InvalidNameException.builder(), "InvalidName", "Invalid Name: '" + request.name() + "'");
        }
        String input = request.input() == null ? "{}" : request.input();
        try {
            JSON.readTree(input);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw error(InvalidExecutionInputException.builder(), "InvalidExecutionInput",
                    "Invalid State Machine Execution Input: '" + e.getOriginalMessage() + "'");
        }
        String arn = machine.replace(":stateMachine:", ":execution:") + ":" + request.name();
        Execution existing = executions.get(arn);
        if (existing != null) {
            if (existing.status == ExecutionStatus.RUNNING && existing.input.equals(input)) {
                return StartExecutionResponse.builder().executionArn(existing.arn).startDate(existing.startDate)
                        .build();
            }
            throw error(ExecutionAlreadyExistsException.builder(), "ExecutionAlreadyExists",
                    "Execution Already Exists: '" + arn + "'");
        }
        Script script = scripts.isEmpty() ? Script.execution() : scripts.poll();
        Execution execution = new Execution(machine, request.name(), input, START, script);
        execution.history.add(HistoryEvent.builder().id(1L).previousEventId(0L).timestamp(START)
                .type(HistoryEventType.EXECUTION_STARTED)
                .executionStartedEventDetails(ExecutionStartedEventDetails.builder().input(input)
                        .roleArn("arn:aws:iam::" + ACCOUNT + ":role/cdc-enabler-state-machine").build())
                .build());
        execution.appendNextBatch();
        executions.put(arn, execution);
        return StartExecutionResponse.builder().executionArn(arn).startDate(START).build();
    }

    @Override
    public synchronized GetExecutionHistoryResponse getExecutionHistory(GetExecutionHistoryRequest request) {
        call("GetExecutionHistory");
        Execution execution = execution(request.executionArn());
        if (Boolean.TRUE.equals(request.reverseOrder())) {
            throw new UnsupportedOperationException("the fake serves the history oldest first only");
        }
        if (execution.clientAtEnd) {
            execution.appendNextBatch();
            execution.clientAtEnd = false;
        }
        int offset = request.nextToken() == null ? 0 : offset(request.nextToken(), execution);
        int size = Math.min(historyPageSize, request.maxResults() == null || request.maxResults() == 0 ? 100
                : request.maxResults());
        int end = Math.min(execution.history.size(), offset + size);
        List<HistoryEvent> page = execution.history.subList(offset, end).stream()
                .map(event -> Boolean.FALSE.equals(request.includeExecutionData()) ? withoutData(event) : event)
                .toList();
        String next = end < execution.history.size() ? token(execution, end) : null;
        execution.clientAtEnd = next == null;
        return GetExecutionHistoryResponse.builder().events(page).nextToken(next).build();
    }

    @Override
    public synchronized DescribeExecutionResponse describeExecution(DescribeExecutionRequest request) {
        call("DescribeExecution");
        Execution execution = execution(request.executionArn());
        boolean ended = execution.status != ExecutionStatus.RUNNING;
        return DescribeExecutionResponse.builder()
                .executionArn(execution.arn).stateMachineArn(execution.stateMachineArn).name(execution.name)
                .status(execution.status).startDate(execution.startDate)
                .stopDate(ended ? execution.history.get(execution.history.size() - 1).timestamp() : null)
                .input(execution.input)
                .output(execution.status == ExecutionStatus.SUCCEEDED ? execution.script.output : null)
                .error(ended ? execution.script.error : null)
                .cause(ended ? execution.script.cause : null)
                .build();
    }

    @Override
    public SfnServiceClientConfiguration serviceClientConfiguration() {
        return SfnServiceClientConfiguration.builder().region(Region.of(REGION)).build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    private void call(String operation) {
        calls.merge(operation, 1, Integer::sum);
        if (unreachable) {
            throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
        }
        int throttles = throttleNext.getOrDefault(operation, 0);
        if (throttles > 0) {
            throttleNext.put(operation, throttles - 1);
            throw error(SfnException.builder(), "ThrottlingException", "Rate exceeded");
        }
    }

    private Execution execution(String arn) {
        Execution execution = arn == null ? null : executions.get(arn);
        if (execution == null) {
            throw error(ExecutionDoesNotExistException.builder(), "ExecutionDoesNotExist",
                    "Execution Does Not Exist: '" + arn + "'");
        }
        return execution;
    }

    private static String token(Execution execution, int offset) {
        return Base64.getEncoder().encodeToString((execution.arn + "|" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static int offset(String token, Execution execution) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = "";
        }
        int bar = decoded.lastIndexOf('|');
        if (bar < 0 || !decoded.substring(0, bar).equals(execution.arn)) {
            throw error(InvalidTokenException.builder(), "InvalidToken", "Invalid Token: '" + token + "'");
        }
        return Integer.parseInt(decoded.substring(bar + 1));
    }

    private static HistoryEvent withoutData(HistoryEvent event) {
        HistoryEvent.Builder builder = event.toBuilder();
        if (event.stateEnteredEventDetails() != null) {
            builder.stateEnteredEventDetails(event.stateEnteredEventDetails().toBuilder().input(null).build());
        }
        if (event.stateExitedEventDetails() != null) {
            builder.stateExitedEventDetails(event.stateExitedEventDetails().toBuilder().output(null).build());
        }
        return builder.build();
    }

    private static AwsServiceException error(AwsServiceException.Builder builder, String code, String message) {
        return builder.message(message).statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("SFN")
                        .build())
                .build();
    }

    private record ScriptedEvent(HistoryEvent event, Duration after) {
    }

    /**
     * The history of one execution, as the state machine would write it, in batches that appear one per poll. Each
     * event happens one second after the previous one, a Wait state's exit its seconds after its entry. Task states
     * call Lambda function ARNs, as the cdc-enabler definition does (LambdaFunction* events).
     */
    public static final class Script {
        private final List<List<ScriptedEvent>> batches = new ArrayList<>(List.of(new ArrayList<>()));
        private Duration elapsed = Duration.ZERO;
        private ExecutionStatus endStatus;
        private String output;
        private String error;
        private String cause;

        private Script() {
        }

        public static Script execution() {
            return new Script();
        }

        /** What follows appears at the next poll. */
        public Script poll() {
            batches.add(new ArrayList<>());
            return this;
        }

        /** A Task state whose Lambda succeeds at the first attempt. */
        public Script task(String state) {
            return entered(HistoryEventType.TASK_STATE_ENTERED, state, "{}").attemptSucceeds()
                    .exited(HistoryEventType.TASK_STATE_EXITED, state);
        }

        public Script taskEntered(String state) {
            return entered(HistoryEventType.TASK_STATE_ENTERED, state, "{}");
        }

        public Script taskExited(String state) {
            return exited(HistoryEventType.TASK_STATE_EXITED, state);
        }

        /** One Lambda attempt that fails with a Java exception, as the Lambda runtime reports it. */
        public Script attemptFails(String errorType, String errorMessage) {
            add(scheduled());
            add(HistoryEvent.builder().type(HistoryEventType.LAMBDA_FUNCTION_STARTED));
            return add(HistoryEvent.builder().type(HistoryEventType.LAMBDA_FUNCTION_FAILED)
                    .lambdaFunctionFailedEventDetails(LambdaFunctionFailedEventDetails.builder()
                            .error(errorType).cause(lambdaCause(errorType, errorMessage)).build()));
        }

        public Script attemptSucceeds() {
            add(scheduled());
            add(HistoryEvent.builder().type(HistoryEventType.LAMBDA_FUNCTION_STARTED));
            return add(HistoryEvent.builder().type(HistoryEventType.LAMBDA_FUNCTION_SUCCEEDED)
                    .lambdaFunctionSucceededEventDetails(LambdaFunctionSucceededEventDetails.builder()
                            .output("{}").build()));
        }

        public Script choice(String state) {
            return entered(HistoryEventType.CHOICE_STATE_ENTERED, state, "{}")
                    .exited(HistoryEventType.CHOICE_STATE_EXITED, state);
        }

        public Script pass(String state) {
            return entered(HistoryEventType.PASS_STATE_ENTERED, state, "{}")
                    .exited(HistoryEventType.PASS_STATE_EXITED, state);
        }

        /** A Wait state that receives {@code input} and lasts {@code seconds}. */
        public Script waitState(String state, String input, long seconds) {
            entered(HistoryEventType.WAIT_STATE_ENTERED, state, input);
            elapsed = elapsed.plusSeconds(seconds - 1);
            return exited(HistoryEventType.WAIT_STATE_EXITED, state);
        }

        public Script failState(String state) {
            return entered(HistoryEventType.FAIL_STATE_ENTERED, state, "{}");
        }

        public Script succeeds(String executionOutput) {
            endStatus = ExecutionStatus.SUCCEEDED;
            output = executionOutput;
            return add(HistoryEvent.builder().type(HistoryEventType.EXECUTION_SUCCEEDED)
                    .executionSucceededEventDetails(ExecutionSucceededEventDetails.builder()
                            .output(executionOutput).build()));
        }

        /** Ends FAILED with the error and the cause the Fail state copies from the caught Lambda error. */
        public Script fails(String errorType, String errorMessage) {
            endStatus = ExecutionStatus.FAILED;
            error = errorType;
            cause = lambdaCause(errorType, errorMessage);
            return add(HistoryEvent.builder().type(HistoryEventType.EXECUTION_FAILED)
                    .executionFailedEventDetails(ExecutionFailedEventDetails.builder().error(error).cause(cause)
                            .build()));
        }

        public Script timesOut() {
            endStatus = ExecutionStatus.TIMED_OUT;
            error = "States.Timeout";
            return add(HistoryEvent.builder().type(HistoryEventType.EXECUTION_TIMED_OUT)
                    .executionTimedOutEventDetails(ExecutionTimedOutEventDetails.builder().error(error).build()));
        }

        public Script isAborted(String reason) {
            endStatus = ExecutionStatus.ABORTED;
            cause = reason;
            return add(HistoryEvent.builder().type(HistoryEventType.EXECUTION_ABORTED)
                    .executionAbortedEventDetails(ExecutionAbortedEventDetails.builder().cause(reason).build()));
        }

        private Script entered(HistoryEventType type, String state, String input) {
            return add(HistoryEvent.builder().type(type)
                    .stateEnteredEventDetails(StateEnteredEventDetails.builder().name(state).input(input).build()));
        }

        private Script exited(HistoryEventType type, String state) {
            return add(HistoryEvent.builder().type(type)
                    .stateExitedEventDetails(StateExitedEventDetails.builder().name(state).output("{}").build()));
        }

        private static HistoryEvent.Builder scheduled() {
            return HistoryEvent.builder().type(HistoryEventType.LAMBDA_FUNCTION_SCHEDULED)
                    .lambdaFunctionScheduledEventDetails(LambdaFunctionScheduledEventDetails.builder()
                            .resource("arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:cdc-enabler-step")
                            .input("{}").build());
        }

        private Script add(HistoryEvent.Builder event) {
            elapsed = elapsed.plusSeconds(1);
            batches.get(batches.size() - 1).add(new ScriptedEvent(event.build(), elapsed));
            return this;
        }

        private static String lambdaCause(String errorType, String errorMessage) {
            Map<String, Object> cause = new LinkedHashMap<>();
            cause.put("errorMessage", errorMessage);
            cause.put("errorType", errorType);
            cause.put("stackTrace", List.of("io.cdcenabler.handler.Step.handleRequest(Step.java:1)"));
            try {
                return JSON.writeValueAsString(cause);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
