package io.cdcenabler.cli;

import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.RequestDefaults;
import io.cdcenabler.workflow.SlotWalCap;
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
    private String retentionCap;

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

    /**
     * What the WAL retention cap of the run will be (on stderr as text; in the started document with --json), from
     * the request's {@code maxSlotWalKeepSize} (null: the default).
     */
    void retentionCap(String maxSlotWalKeepSize) {
        retentionCap = retentionCapText(maxSlotWalKeepSize);
        if (!output.json) {
            err.println("WAL retention cap (max_slot_wal_keep_size): " + retentionCap);
            err.flush();
        }
    }

    static String retentionCapText(String maxSlotWalKeepSize) {
        if (maxSlotWalKeepSize == null) {
            return RequestDefaults.MAX_SLOT_WAL_KEEP_SIZE + " of allocated storage (the default; an Aurora cluster's "
                    + "cap is left as it is)";
        }
        return SlotWalCap.describe(maxSlotWalKeepSize);
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
            document.put("maxSlotWalKeepSize", retentionCap);
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
