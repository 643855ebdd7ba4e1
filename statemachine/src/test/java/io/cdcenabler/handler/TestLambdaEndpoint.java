package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cdcenabler.alarms.CloudWatchAlarmStore;
import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.contract.TaskState;
import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.rds.EventDefaults;
import io.cdcenabler.rds.ParameterGroupEnsurer;
import io.cdcenabler.rds.ParameterGroupPlanner;
import io.cdcenabler.rds.Rebooter;
import io.cdcenabler.rds.StatusChecker;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.registry.DynamoDbEnrolmentRegistry;
import io.cdcenabler.steps.EnsureAlarmsStep;
import io.cdcenabler.steps.RecordEnrolmentStep;
import io.cdcenabler.steps.RecordResultStep;
import io.cdcenabler.steps.ReconcileCheckStep;
import io.cdcenabler.steps.CheckDriftStep;
import io.cdcenabler.rds.RdsDriftCheck;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.steps.TargetConnections;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Lambda Invoke API on 127.0.0.1 for aws-local-stepfunctions: {@code POST /2015-03-31/functions/{arn}/invocations}
 * runs the real handler class named by the ARN's function name, built with the test's fakes through its
 * package-private constructor (the same seam the handler tests use). A handler's exception becomes what the Java
 * runtime reports: the {@code X-Amz-Function-Error: Unhandled} header and {errorType: fully qualified class name,
 * errorMessage}, so the definition's Retry and Catch see the names they match on AWS.
 */
public final class TestLambdaEndpoint implements AutoCloseable {
    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    /** The guardrail topic the stack would pass to EnsureAlarms in its environment. */
    public static final String ALARM_TOPIC_ARN = "arn:aws:sns:" + REGION + ":" + ACCOUNT
            + ":cdc-enabler-guardrails";
    /** The Task states of the enrolment definition, each served by the handler of the same name. */
    public static final List<String> FUNCTIONS = functions(TaskState.Workflow.ENROLMENT);
    private static final Pattern PATH = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");

    private final HttpServer server;
    private volatile Map<String, RequestStreamHandler> handlers = Map.of();
    private final Map<String, String> failAfterRun = new HashMap<>();
    private final Map<String, Runnable> afterRun = new HashMap<>();
    private final Map<String, Map.Entry<String, Runnable>> afterMatchingRun = new HashMap<>();
    private final Map<String, java.util.Deque<String>> answerInstead = new HashMap<>();
    private final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
    private final List<String> invocations = Collections.synchronizedList(new ArrayList<>());
    private final SdkCallRecorder sdkCalls = new SdkCallRecorder();

    public TestLambdaEndpoint() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::serve);
        // Several invocations at once, as Lambda runs them for concurrent executions.
        server.setExecutor(threads);
        server.start();
    }

    /** What AWS_ENDPOINT_URL_LAMBDA must be for the interpreter to call this endpoint. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The ARN a Task's Resource names for {@code function}. */
    public static String arn(String function) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:cdc-enabler-" + function;
    }

    /** The enrolment definition's substitutions: {@code ${<Function>FunctionArn}} for each of its Task states. */
    public static Map<String, String> substitutions() {
        return substitutions(TaskState.Workflow.ENROLMENT);
    }

    /** The Task states of {@code workflow}'s definition. */
    public static List<String> functions(TaskState.Workflow workflow) {
        return workflow.taskStates().stream().map(TaskState::stateName).toList();
    }

    /** {@code workflow}'s substitutions: {@code ${<Function>FunctionArn}} for each of its Task states. */
    public static Map<String, String> substitutions(TaskState.Workflow workflow) {
        Map<String, String> substitutions = new LinkedHashMap<>();
        functions(workflow).forEach(function -> substitutions.put(function + "FunctionArn", arn(function)));
        return substitutions;
    }

    /** Serves the real handlers over these clients from now on. */
    public void serve(Fakes aws, EventDefaults defaults, Clock clock, String jdbcUrl) {
        RdsClient rds = aws.rds();
        SecretsManagerClient secretsManager = aws.secretsManager();
        TargetConnections connections =
                (target, user, password) -> new JdbcConnectionSource(jdbcUrl, user, password, new Properties());
        Map<String, RequestStreamHandler> next = new HashMap<>();
        next.put("DescribeTarget", new DescribeTargetHandler(
                new TargetResolver(sdkCalls.rds(TaskState.DESCRIBE_TARGET, rds), defaults)));
        next.put("EnsureParameterGroup", new EnsureParameterGroupHandler(new ParameterGroupEnsurer(
                sdkCalls.rds(TaskState.ENSURE_PARAMETER_GROUP, rds), new ParameterGroupPlanner())));
        next.put("Reboot", new RebootHandler(new Rebooter(sdkCalls.rds(TaskState.REBOOT, rds), clock)));
        next.put("CheckStatus", new CheckStatusHandler(new StatusChecker(sdkCalls.rds(TaskState.CHECK_STATUS, rds))));
        next.put("ReadCredentials", new ReadCredentialsHandler(
                sdkCalls.secretsManager(TaskState.READ_CREDENTIALS, secretsManager)));
        next.put("Provision", new ProvisionHandler(sdkCalls.secretsManager(TaskState.PROVISION, secretsManager),
                connections));
        next.put("Verify", new VerifyHandler(sdkCalls.secretsManager(TaskState.VERIFY, secretsManager), connections));
        next.put("EnsureAlarms", new EnsureAlarmsHandler(new EnsureAlarmsStep(new CloudWatchAlarmStore(
                sdkCalls.cloudWatch(TaskState.ENSURE_ALARMS, aws.cloudWatch())), ALARM_TOPIC_ARN)));
        next.put("RecordEnrolment", new RecordEnrolmentHandler(new RecordEnrolmentStep(new DynamoDbEnrolmentRegistry(
                sdkCalls.dynamoDb(TaskState.RECORD_ENROLMENT, aws.dynamoDb()), ResourceNames.REGISTRY_TABLE_NAME),
                clock)));
        next.put("PrepareUpgrade", new PrepareUpgradeHandler(sdkCalls.rds(TaskState.PREPARE_UPGRADE, rds),
                sdkCalls.secretsManager(TaskState.PREPARE_UPGRADE, secretsManager), connections));
        EnrolmentRegistry reconcileRegistry = new DynamoDbEnrolmentRegistry(
                sdkCalls.dynamoDb(TaskState.RESOLVE_TARGETS, aws.dynamoDb()), ResourceNames.REGISTRY_TABLE_NAME);
        next.put("ResolveTargets", new ResolveTargetsHandler(sdkCalls.rds(TaskState.RESOLVE_TARGETS, rds),
                reconcileRegistry, defaults));
        next.put("CheckDrift", new CheckDriftHandler(new ReconcileCheckStep(new DynamoDbEnrolmentRegistry(
                sdkCalls.dynamoDb(TaskState.CHECK_DRIFT, aws.dynamoDb()), ResourceNames.REGISTRY_TABLE_NAME),
                new CheckDriftStep(new RdsDriftCheck(sdkCalls.rds(TaskState.CHECK_DRIFT, rds), defaults),
                        new AdminSecrets(sdkCalls.secretsManager(TaskState.CHECK_DRIFT, secretsManager)), connections),
                clock)));
        next.put("RecordResult", new RecordResultHandler(new RecordResultStep(new DynamoDbEnrolmentRegistry(
                sdkCalls.dynamoDb(TaskState.RECORD_RESULT, aws.dynamoDb()), ResourceNames.REGISTRY_TABLE_NAME),
                clock)));
        next.put("Summarise", new SummariseHandler());
        synchronized (failAfterRun) {
            failAfterRun.clear();
            afterRun.clear();
            answerInstead.clear();
            afterMatchingRun.clear();
        }
        invocations.clear();
        handlers = Map.copyOf(next);
    }

    /** The fake AWS services the handlers call. */
    public record Fakes(RdsClient rds, SecretsManagerClient secretsManager, CloudWatchClient cloudWatch,
                        DynamoDbClient dynamoDb) {
    }

    /**
     * The next invocation of {@code function} runs the handler (its changes happen) and then fails with
     * {@code errorType}, as a function that times out or loses its response after doing its work.
     */
    public void failNextAfterRun(String function, String errorType) {
        synchronized (failAfterRun) {
            failAfterRun.put(function, errorType);
        }
    }

    /**
     * The next {@code times} invocations of {@code function} fail with {@code errorType} without running the handler,
     * as Lambda answers while a function is not active (Lambda.SnapStartNotReadyException, ...).
     */
    public void answerNextCallsWith(String function, String errorType, int times) {
        synchronized (failAfterRun) {
            java.util.Deque<String> queue = answerInstead.computeIfAbsent(function, k -> new java.util.ArrayDeque<>());
            for (int i = 0; i < times; i++) {
                queue.add(errorType);
            }
        }
    }

    /** After the next successful run of {@code function} whose output contains {@code fragment}, {@code change}. */
    public void afterNextRunWhoseOutputContains(String function, String fragment, Runnable change) {
        synchronized (failAfterRun) {
            afterMatchingRun.put(function, Map.entry(fragment, change));
        }
    }

    /** After the next successful run of {@code function}, {@code change} happens (e.g. someone stops the instance). */
    public void afterNextRun(String function, Runnable change) {
        synchronized (failAfterRun) {
            afterRun.put(function, change);
        }
    }

    /** The IAM actions each handler's SDK calls needed, over every scenario this endpoint served. */
    public SdkCallRecorder sdkCalls() {
        return sdkCalls;
    }

    /** The functions invoked since the last {@link #serve}, in order. */
    public List<String> invocations() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                respond(exchange, 404, null, "{\"message\":\"not a Lambda Invoke request\"}");
                return;
            }
            String arn = URLDecoder.decode(path.group(1), StandardCharsets.UTF_8);
            String function = arn.substring(arn.lastIndexOf(':') + 1).replaceFirst("^cdc-enabler-", "");
            RequestStreamHandler handler = handlers.get(function);
            if (handler == null) {
                respond(exchange, 404, null, "{\"Type\":\"User\",\"message\":\"Function not found: " + arn + "\"}");
                return;
            }
            invocations.add(function);
            byte[] input = exchange.getRequestBody().readAllBytes();
            String instead;
            synchronized (failAfterRun) {
                java.util.Deque<String> queue = answerInstead.get(function);
                instead = queue == null ? null : queue.poll();
            }
            if (instead != null) {
                respond(exchange, 200, "Unhandled", error(instead, "injected: " + function + " is not active yet"));
                return;
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            try (InputStream in = new ByteArrayInputStream(input)) {
                handler.handleRequest(in, output, null);
            } catch (RuntimeException e) {
                respond(exchange, 200, "Unhandled", error(e.getClass().getName(), e.getMessage()));
                return;
            }
            String injected;
            Runnable change;
            String result = output.toString(StandardCharsets.UTF_8);
            Runnable matching = null;
            synchronized (failAfterRun) {
                injected = failAfterRun.remove(function);
                change = afterRun.remove(function);
                Map.Entry<String, Runnable> waiting = afterMatchingRun.get(function);
                if (waiting != null && result.contains(waiting.getKey())) {
                    matching = afterMatchingRun.remove(function).getValue();
                }
            }
            if (matching != null) {
                matching.run();
            }
            if (change != null) {
                change.run();
            }
            if (injected != null) {
                respond(exchange, 200, "Unhandled", error(injected, "injected failure after " + function + " ran"));
                return;
            }
            respond(exchange, 200, null, output.toString(StandardCharsets.UTF_8));
        }
    }

    private static String error(String type, String message) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("errorType", type).put("errorMessage", message);
        body.putArray("stackTrace");
        return body.toString();
    }

    private static void respond(HttpExchange exchange, int status, String functionError, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (functionError != null) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", functionError);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
