package io.cdcenabler.statemachine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Executes the definition file in aws-local-stepfunctions (Node 22 and the library from statemachine/node_modules,
 * installed by the build's {@code npm ci}) through src/test/node/run-execution.mjs, and reads back its event log.
 */
public final class LocalStepFunctions {
    public static final Path DEFINITION = Path.of(property("cdcenabler.asl.definition"));
    public static final Path RECONCILE = Path.of(property("cdcenabler.asl.reconcile"));
    private static final Path RUNNER = Path.of(property("cdcenabler.asl.runner"));
    private static final Path NODE = Path.of(property("cdcenabler.asl.node"));
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String lambdaEndpoint;
    private final Path definition;
    private final Map<String, String> substitutions;
    private final Map<String, Child> children;
    private volatile List<String> existingExecutionNames = List.of();

    /**
     * A Task state that starts another state machine (Step Functions' startExecution integrations), run by the
     * interpreter: {@code sync} runs {@code definition} to its end, {@code async} only records the start.
     */
    public record Child(Path definition, Map<String, String> substitutions, boolean sync) {
    }

    public LocalStepFunctions(String lambdaEndpoint, Map<String, String> substitutions) {
        this(lambdaEndpoint, DEFINITION, substitutions, Map.of());
    }

    public LocalStepFunctions(String lambdaEndpoint, Path definition, Map<String, String> substitutions,
                              Map<String, Child> children) {
        this.lambdaEndpoint = lambdaEndpoint;
        this.definition = definition;
        this.substitutions = Map.copyOf(substitutions);
        this.children = Map.copyOf(children);
    }

    /** Execution names already taken in the account (a StartExecution naming one fails with ExecutionAlreadyExists). */
    public void existingExecutionNames(List<String> names) {
        this.existingExecutionNames = List.copyOf(names);
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException("system property " + name + " is not set (Surefire sets it)");
        }
        return value;
    }

    /** One execution's event log and how it ended. */
    public record Execution(List<JsonNode> events, JsonNode output, String error, String cause) {
        public boolean succeeded() {
            return output != null;
        }

        /** The names of the states entered, in order (a state entered twice appears twice). */
        public List<String> statesEntered() {
            return events.stream().filter(e -> "StateEntered".equals(e.path("type").asText()))
                    .map(e -> e.path("state").asText()).toList();
        }

        /** State transitions as Step Functions bills them: one per state entered. */
        public int transitions() {
            return statesEntered().size();
        }

        public long retries() {
            return events.stream().filter(e -> "StateRetried".equals(e.path("type").asText())).count();
        }

        /** The state's output the last time it exited. */
        public JsonNode lastOutputOf(String state) {
            JsonNode last = null;
            for (JsonNode event : events) {
                if ("StateExited".equals(event.path("type").asText()) && state.equals(event.path("state").asText())) {
                    last = event.path("output");
                }
            }
            return last;
        }

        /** The executions started without waiting (startExecution), each with its name ("child") and input. */
        public List<JsonNode> childStarts() {
            return events.stream().filter(e -> "ChildStarted".equals(e.path("type").asText())).toList();
        }

        /** State transitions of the child executions run to their end (startExecution.sync:2). */
        public long childTransitions() {
            return events.stream().filter(e -> "StateEntered".equals(e.path("type").asText())
                    && e.hasNonNull("child")).count();
        }

        /** Everything the interpreter recorded, as text: every state's input and output, errors and causes. */
        public String everything() {
            return events.toString() + output + error + cause;
        }
    }

    /**
     * Runs {@code input} to its end. Wait states named in {@code waitOverridesMillis} pause that long instead of
     * their Seconds/Timestamp; every Task's retries pause {@code retryMillis}.
     */
    public Execution run(JsonNode input, Map<String, Long> waitOverridesMillis, long retryMillis) {
        try {
            ObjectNode request = MAPPER.createObjectNode();
            request.set("substitutions", MAPPER.valueToTree(substitutions));
            request.set("input", input);
            request.put("executionName", "test-" + System.nanoTime());
            request.set("waitTimeOverrides", MAPPER.valueToTree(waitOverridesMillis));
            ObjectNode retries = request.putObject("retryIntervalOverrides");
            substitutions.keySet().forEach(key -> retries.put(key.replace("FunctionArn", ""), retryMillis));
            children.values().forEach(child -> child.substitutions().keySet().forEach(key ->
                    retries.put(key.replace("FunctionArn", ""), retryMillis)));
            children.keySet().forEach(state -> retries.put(state, retryMillis));
            ObjectNode started = request.putObject("children");
            children.forEach((state, child) -> started.putObject(state)
                    .put("definition", child.definition().toString())
                    .put("mode", child.sync() ? "sync" : "async")
                    .set("substitutions", MAPPER.valueToTree(child.substitutions())));
            request.set("existingExecutionNames", MAPPER.valueToTree(existingExecutionNames));
            Path requestFile = Files.createTempFile("execution-", ".json");
            try {
                Files.writeString(requestFile, MAPPER.writeValueAsString(request));
                return execute(requestFile);
            } finally {
                Files.deleteIfExists(requestFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Execution execute(Path requestFile) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(NODE.toString(), RUNNER.toString(), definition.toString(),
                requestFile.toString());
        builder.environment().put("AWS_ENDPOINT_URL_LAMBDA", lambdaEndpoint);
        builder.environment().put("AWS_REGION", "us-east-1");
        builder.environment().put("AWS_ACCESS_KEY_ID", "test");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "test");
        Process process = builder.start();
        StringBuilder stderr = new StringBuilder();
        Thread drain = new Thread(() -> {
            try {
                stderr.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process ended; what was read is kept
            }
        });
        drain.start();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .toList();
        try {
            if (!process.waitFor(1_800, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("aws-local-stepfunctions did not finish within 30 min");
            }
            drain.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for the execution", e);
        }
        List<JsonNode> events = new ArrayList<>();
        JsonNode output = null;
        String error = null;
        String cause = null;
        for (String line : lines) {
            JsonNode event = MAPPER.readTree(line);
            switch (event.path("type").asText()) {
                case "Result" -> output = event.path("output");
                case "Error" -> {
                    error = event.path("error").asText();
                    cause = event.path("cause").asText();
                }
                default -> events.add(event);
            }
        }
        if (output == null && error == null) {
            throw new IllegalStateException("the interpreter ended without a result (exit " + process.exitValue()
                    + "): " + stderr);
        }
        // A failed execution's error and cause are those of its ExecutionFailed event (the Fail state's).
        for (JsonNode event : events) {
            if ("ExecutionFailed".equals(event.path("type").asText())) {
                error = event.path("error").asText(error);
                cause = event.path("cause").asText(cause);
            }
        }
        return new Execution(List.copyOf(events), output, error, cause);
    }
}
