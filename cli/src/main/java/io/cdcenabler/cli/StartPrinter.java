package io.cdcenabler.cli;

import io.cdcenabler.workflow.InvalidInputException;
import java.io.PrintWriter;
import java.util.Map;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;

/**
 * What {@code start} says about starting an execution, as text or as one JSON document ({@code --json}): the
 * execution it started, the input it refused (nothing started) and the failure it could not get past.
 */
final class StartPrinter {
    private final Output output;
    private final PrintWriter out;
    private final PrintWriter err;

    StartPrinter(Output output, PrintWriter out, PrintWriter err) {
        this.output = output;
        this.out = out;
        this.err = err;
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    /** The execution's ARN (on stdout, so a script can take it) and its console URL. */
    void started(StartExecutionResponse started, String executionName, String consoleUrl) {
        if (output.json) {
            Map<String, Object> document = Output.object();
            document.put("ok", true);
            document.put("executionArn", started.executionArn());
            document.put("name", executionName);
            document.put("startDate", started.startDate().toString());
            document.put("consoleUrl", consoleUrl);
            output.printJson(out, document);
        } else {
            out.println(started.executionArn());
            out.flush();
            err.println("Console: " + consoleUrl);
            err.flush();
        }
    }

    /** Bad input: nothing was started. Returns the exit status for it. */
    int badInput(String message) {
        if (output.json) {
            Map<String, Object> document = Output.object();
            document.put("ok", false);
            document.put("error", InvalidInputException.class.getSimpleName());
            document.put("message", message);
            output.printJson(out, document);
        }
        err.println("error: " + message);
        err.flush();
        return StartCommand.BAD_INPUT;
    }

    /** A failure, with the execution it concerns when there is one ({@code executionArn} null otherwise). */
    int failed(Exception cause, String message, String executionArn, String consoleUrl) {
        if (output.json) {
            Map<String, Object> document = Output.object();
            document.put("ok", false);
            if (executionArn != null) {
                document.put("executionArn", executionArn);
                document.put("consoleUrl", consoleUrl);
            }
            document.put("error", cause.getClass().getSimpleName());
            document.put("message", message);
            output.printJson(out, document);
        }
        err.println("error: " + message);
        err.flush();
        return CdcEnablerCommand.FAILED;
    }
}
