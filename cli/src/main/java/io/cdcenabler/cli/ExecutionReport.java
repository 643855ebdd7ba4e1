package io.cdcenabler.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * How an ended execution is reported: its result (READY, SKIPPED, REBOOT_PENDING) or its named error and the
 * cause's message, as lines for a person or one JSON document, and the exit status (0 succeeded, 1 otherwise).
 */
final class ExecutionReport {
    private final Output output;
    private final PrintWriter out;
    private final String consoleUrl;

    ExecutionReport(Output output, PrintWriter out, String consoleUrl) {
        this.output = output;
        this.out = out;
        this.consoleUrl = consoleUrl;
    }

    int print(ExecutionFollower.Ended ended) {
        DescribeExecutionResponse execution = ended.execution();
        boolean succeeded = execution.status() == ExecutionStatus.SUCCEEDED;
        JsonNode result = succeeded ? parse(execution.output()) : null;
        if (output.json) {
            Map<String, Object> document = Output.object();
            document.put("ok", succeeded);
            document.put("executionArn", execution.executionArn());
            document.put("consoleUrl", consoleUrl);
            document.put("status", execution.statusAsString());
            if (succeeded) {
                document.put("result", result.path("result").asText(null));
                document.put("output", result);
            } else {
                document.put("error", execution.error());
                document.put("cause", causeMessage(execution.cause()));
                document.put("failedState", ended.lastFailedState());
            }
            output.printJson(out, document);
        } else if (succeeded) {
            printResult(result);
        } else {
            printFailure(execution, ended.lastFailedState());
        }
        out.flush();
        return succeeded ? 0 : CdcEnablerCommand.FAILED;
    }

    private void printResult(JsonNode result) {
        String kind = result.path("result").asText("");
        switch (kind) {
            case "READY" -> {
                JsonNode request = result.path("request");
                String target = request.hasNonNull("clusterIdentifier") ? request.path("clusterIdentifier").asText()
                        : request.path("instanceIdentifier").asText();
                out.println("READY: " + target + " is ready for CDC (" + result.path("topology").asText()
                        + ", PostgreSQL " + result.path("engineVersion").asText() + ").");
                out.println("  endpoint:    " + result.path("endpoint").asText() + ":" + result.path("port").asText()
                        + ", database " + result.path("database").asText());
                out.println("  publication: " + request.path("publication").asText() + " ("
                        + request.path("trackingMode").asText() + ")");
                out.println("  CDC secret:  " + result.path("cdcSecretArn").asText());
                JsonNode group = result.path("parameterGroup");
                if (group.hasNonNull("parameterGroupName")) {
                    out.println("  parameter group: " + group.path("parameterGroupName").asText());
                }
                out.println("  " + result.path("changed").asInt() + " change(s):");
                result.path("changes").forEach(change -> out.println("    " + change.asText()));
                out.println("  checks:");
                result.path("checks").forEach(check -> out.println("    " + check.asText()));
            }
            case "SKIPPED" -> out.println("SKIPPED: nothing was changed: " + result.path("reason").asText());
            case "REBOOT_PENDING" -> {
                out.println("REBOOT_PENDING: logical replication is set but takes effect only after a reboot; "
                        + "nothing was provisioned yet.");
                out.println("  " + result.path("message").asText());
            }
            default -> out.println("Succeeded with result " + (kind.isEmpty() ? "(none)" : kind) + ": " + result);
        }
    }

    private void printFailure(DescribeExecutionResponse execution, String failedState) {
        ExecutionStatus status = execution.status();
        if (status == ExecutionStatus.FAILED || status == ExecutionStatus.PENDING_REDRIVE) {
            out.println("FAILED" + (failedState == null ? "" : " in " + failedState) + ": "
                    + (execution.error() == null ? "(no error name)" : execution.error()));
            String message = causeMessage(execution.cause());
            if (message != null) {
                out.println("  " + message);
            }
        } else if (status == ExecutionStatus.TIMED_OUT) {
            out.println("TIMED_OUT: the execution ran longer than the state machine's TimeoutSeconds.");
        } else if (status == ExecutionStatus.ABORTED) {
            out.println("ABORTED: the execution was stopped" + (execution.cause() == null ? "."
                    : ": " + causeMessage(execution.cause())));
        } else {
            out.println(execution.statusAsString() + ": the execution ended without succeeding.");
        }
    }

    /** "Error: message" from a failure's error name and cause (the Lambda's error JSON or plain text). */
    static String describeError(String error, String cause) {
        String message = causeMessage(cause);
        if (error == null) {
            return message == null ? "(no error name)" : message;
        }
        return message == null ? error : error + ": " + message;
    }

    /** The errorMessage of a Lambda's error JSON; the cause itself when it is not one; null when empty. */
    static String causeMessage(String cause) {
        if (cause == null || cause.isBlank()) {
            return null;
        }
        JsonNode parsed = parseOrNull(cause);
        if (parsed != null && parsed.hasNonNull("errorMessage")) {
            return parsed.path("errorMessage").asText();
        }
        return cause.strip();
    }

    private static JsonNode parse(String json) {
        JsonNode parsed = parseOrNull(json);
        return parsed != null ? parsed : Output.JSON.createObjectNode();
    }

    private static JsonNode parseOrNull(String json) {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = Output.JSON.readTree(json);
            return node != null && node.isObject() ? node : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
