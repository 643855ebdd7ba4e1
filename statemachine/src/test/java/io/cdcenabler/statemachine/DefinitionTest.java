package io.cdcenabler.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.handler.TestLambdaEndpoint;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.TransientException;
import io.cdcenabler.workflow.WorkflowException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The definition file against the handlers' contract, without executing it: the placeholders CDK substitutes, the
 * error names Retry and Catch match (real classes of package workflow), and a graph without dead ends.
 */
class DefinitionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> LAMBDA_SERVICE_ERRORS = List.of("Lambda.ServiceException",
            "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException");
    /** What Lambda answers while a function (a SnapStart version idle for 14 days, an idle VPC function) is not active. */
    private static final List<String> LAMBDA_NOT_ACTIVE_ERRORS = List.of("Lambda.SnapStartNotReadyException",
            "Lambda.ResourceNotReadyException", "Lambda.CodeArtifactUserPendingException",
            "Lambda.ClientExecutionTimeoutException");
    /** How long the retries of those must keep trying: an inactive function takes minutes to become active again. */
    private static final double NOT_ACTIVE_RETRY_SECONDS = 600;
    private final JsonNode definition = read();
    private final JsonNode states = definition.path("States");

    private static JsonNode read() {
        try {
            return MAPPER.readTree(LocalStepFunctions.DEFINITION.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void placeholders_areExactlyOneFunctionArnPerTaskState_namedAfterItsHandler() throws Exception {
        Set<String> placeholders = new TreeSet<>();
        Matcher matcher = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(Files.readString(LocalStepFunctions.DEFINITION));
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }

        assertThat(placeholders).isEqualTo(new TreeSet<>(TestLambdaEndpoint.substitutions().keySet()));
        for (String task : tasks()) {
            assertThat(states.path(task).path("Resource").asText()).isEqualTo("${" + task + "FunctionArn}");
            assertThat(Class.forName("io.cdcenabler.handler." + task + "Handler", false, getClass().getClassLoader()))
                    .isNotNull();
        }
        assertThat(tasks()).containsExactlyInAnyOrderElementsOf(TestLambdaEndpoint.FUNCTIONS);
    }

    @Test
    void everyTask_retriesLambdaServiceErrorsAndEveryTransientError_andNothingElse() {
        Set<String> transientErrors = transientErrorNames();
        assertThat(transientErrors).contains("io.cdcenabler.workflow.ThrottledException",
                "io.cdcenabler.workflow.InstanceBusyException", "io.cdcenabler.workflow.TablesLockedException");

        for (String task : tasks()) {
            Set<String> retried = new HashSet<>();
            for (JsonNode retrier : states.path(task).path("Retry")) {
                retrier.path("ErrorEquals").forEach(error -> retried.add(error.asText()));
                assertThat(retrier.path("MaxAttempts").asInt()).as(task + " retries a bounded number of times")
                        .isBetween(1, 10);
                assertThat(retrier.path("BackoffRate").asDouble()).as(task + " backs off").isGreaterThan(1.0);
            }
            assertThat(retried).as(task).containsAll(LAMBDA_SERVICE_ERRORS).containsAll(LAMBDA_NOT_ACTIVE_ERRORS)
                    .containsAll(transientErrors);
            assertThat(retried).as(task + " retries only what waiting can cure")
                    .allMatch(error -> LAMBDA_SERVICE_ERRORS.contains(error) || LAMBDA_NOT_ACTIVE_ERRORS.contains(error)
                            || transientErrors.contains(error));
        }
    }

    @Test
    void everyTask_retriesAFunctionThatIsNotActive_longEnoughForItToBecomeActive() {
        for (String task : tasks()) {
            JsonNode retrier = null;
            for (JsonNode candidate : states.path(task).path("Retry")) {
                List<String> errors = new ArrayList<>();
                candidate.path("ErrorEquals").forEach(error -> errors.add(error.asText()));
                if (errors.containsAll(LAMBDA_NOT_ACTIVE_ERRORS)) {
                    retrier = candidate;
                }
            }
            assertThat(retrier).as(task + " has one retrier for all not-active errors").isNotNull();
            assertThat(retrier.has("JitterStrategy")).as(task + ": no jitter, the total wait is guaranteed").isFalse();

            assertThat(totalRetrySeconds(retrier)).as(task + " keeps retrying a not-active function for minutes")
                    .isGreaterThanOrEqualTo(NOT_ACTIVE_RETRY_SECONDS);
        }
    }

    @Test
    void oneStatusCheck_addsTheHistoryEventsTheRequestLimitIsComputedWith() {
        List<String> loop = List.of("WaitForStatus", "CheckStatus", "IsReady");
        int events = 0;
        for (String state : loop) {
            events += historyEventsOf(states.path(state).path("Type").asText());
        }

        assertThat(states.path("WaitForStatus").path("Next").asText()).isEqualTo("CheckStatus");
        assertThat(states.path("CheckStatus").path("Next").asText()).isEqualTo("IsReady");
        assertThat(events).isEqualTo(ProvisioningRequest.EVENTS_PER_STATUS_CHECK);
        int waitLoop = historyEventsOf("Wait") + historyEventsOf("Task") + historyEventsOf("Choice");
        assertThat(states.path("WaitForParameterGroup").path("Next").asText()).isEqualTo("EnsureParameterGroup");
        assertThat(states.path("EnsureParameterGroup").path("Next").asText()).isEqualTo("IsRebootRequired");
        assertThat(waitLoop).as("the wait for a busy target costs the same per round")
                .isEqualTo(ProvisioningRequest.EVENTS_PER_STATUS_CHECK);
        assertThat(ProvisioningRequest.MAX_STATUS_CHECKS * ProvisioningRequest.EVENTS_PER_STATUS_CHECK
                + ProvisioningRequest.EVENTS_OUTSIDE_STATUS_LOOP).isLessThanOrEqualTo(ProvisioningRequest.HISTORY_EVENT_LIMIT);
    }

    @Test
    void theStatusLoop_goesBackToReboot_whenCheckStatusMeetsPendingReboot() {
        boolean routesToReboot = false;
        for (JsonNode choice : states.path("IsReady").path("Choices")) {
            routesToReboot |= "REBOOT".equals(choice.path("StringEquals").asText())
                    && "Reboot".equals(choice.path("Next").asText());
        }

        assertThat(routesToReboot).isTrue();
        assertThat(states.path("CheckRebootOutcome").path("Default").asText()).isEqualTo("WaitForStatus");
    }

    /**
     * Events a state adds to a Standard execution's history when it runs once without retries: entered and exited,
     * and for a Lambda Task also scheduled, started and succeeded.
     */
    private static int historyEventsOf(String type) {
        return switch (type) {
            case "Task" -> 5;
            case "Wait", "Choice", "Pass" -> 2;
            default -> throw new IllegalArgumentException("no event count for state type " + type);
        };
    }

    private static double totalRetrySeconds(JsonNode retrier) {
        double interval = retrier.path("IntervalSeconds").asDouble(1);
        double rate = retrier.path("BackoffRate").asDouble(2);
        double max = retrier.has("MaxDelaySeconds") ? retrier.path("MaxDelaySeconds").asDouble() : Double.MAX_VALUE;
        double total = 0;
        for (int attempt = 0; attempt < retrier.path("MaxAttempts").asInt(3); attempt++) {
            total += Math.min(max, interval * Math.pow(rate, attempt));
        }
        return total;
    }

    @Test
    void everyTask_catchesEverythingIntoFailed_keepingTheErrorAndCause() {
        for (String task : tasks()) {
            JsonNode catchers = states.path(task).path("Catch");
            assertThat(catchers).as(task).hasSize(1);
            assertThat(catchers.get(0).path("ErrorEquals").get(0).asText()).isEqualTo("States.ALL");
            assertThat(catchers.get(0).path("Next").asText()).isEqualTo("Failed");
            assertThat(catchers.get(0).path("ResultPath").asText()).isEqualTo("$.error");
        }
        assertThat(states.path("Failed").path("Type").asText()).isEqualTo("Fail");
        assertThat(states.path("Failed").path("ErrorPath").asText()).isEqualTo("$.error.Error");
        assertThat(states.path("Failed").path("CausePath").asText()).isEqualTo("$.error.Cause");
    }

    @Test
    void everyStateIsReachable_andEveryTransitionNamesAState() {
        Set<String> reached = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(List.of(definition.path("StartAt").asText()));
        while (!next.isEmpty()) {
            String name = next.pop();
            assertThat(states.has(name)).as("transition to " + name).isTrue();
            if (reached.add(name)) {
                next.addAll(successors(states.path(name)));
            }
        }

        List<String> all = new ArrayList<>();
        states.fieldNames().forEachRemaining(all::add);
        assertThat(reached).containsExactlyInAnyOrderElementsOf(all);
        assertThat(definition.has("QueryLanguage")).as("JSONPath only: the local interpreter has no JSONata").isFalse();
    }

    @Test
    void theWaitLoop_takesItsIntervalFromTheRequest_andEndsOnlyThroughCheckStatus() {
        assertThat(states.path("WaitForStatus").path("SecondsPath").asText()).isEqualTo("$.target.request.waitSeconds");
        assertThat(states.path("WaitForStatus").path("Next").asText()).isEqualTo("CheckStatus");
        assertThat(states.path("IsReady").path("Default").asText()).isEqualTo("WaitForStatus");
        assertThat(states.path("WaitForMaintenanceWindow").path("TimestampPath").asText())
                .isEqualTo("$.reboot.waitUntil");
    }

    private List<String> tasks() {
        List<String> tasks = new ArrayList<>();
        states.fields().forEachRemaining(entry -> {
            if ("Task".equals(entry.getValue().path("Type").asText())) {
                tasks.add(entry.getKey());
            }
        });
        return tasks;
    }

    private static List<String> successors(JsonNode state) {
        List<String> successors = new ArrayList<>();
        Stream.of("Next", "Default").filter(state::has).forEach(key -> successors.add(state.path(key).asText()));
        state.path("Choices").forEach(choice -> successors.add(choice.path("Next").asText()));
        state.path("Catch").forEach(catcher -> successors.add(catcher.path("Next").asText()));
        return successors;
    }

    /** The fully qualified names of every concrete TransientException in package workflow, read from its classes. */
    private static Set<String> transientErrorNames() {
        Set<String> names = new TreeSet<>();
        String prefix = TransientException.class.getPackageName().replace('.', '/') + "/";
        for (String resource : classResources(prefix)) {
            String className = resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
            try {
                Class<?> type = Class.forName(className, false, DefinitionTest.class.getClassLoader());
                if (TransientException.class.isAssignableFrom(type) && type != TransientException.class
                        && WorkflowException.class.isAssignableFrom(type)) {
                    names.add(type.getName());
                }
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return names;
    }

    private static List<String> classResources(String packagePath) {
        try {
            Path location = Path.of(TransientException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.list(location.resolve(packagePath))) {
                    return files.map(file -> packagePath + file.getFileName()).filter(n -> n.endsWith(".class"))
                            .toList();
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                return jar.stream().map(entry -> entry.getName())
                        .filter(n -> n.startsWith(packagePath) && n.endsWith(".class")
                                && n.indexOf('/', packagePath.length()) < 0)
                        .toList();
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the classes of " + packagePath, e);
        }
    }
}
