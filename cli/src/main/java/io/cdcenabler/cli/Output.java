package io.cdcenabler.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cdcenabler.postgres.Change;
import io.cdcenabler.postgres.ProgressListener;
import io.cdcenabler.steps.ChangeSummary;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Human output by default, one JSON document with --json; progress goes to stderr so stdout stays clean. */
final class Output {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--json", description = "Print one JSON document for machines instead of text")
    boolean json;

    @Option(names = "--quiet", description = "No progress output")
    boolean quiet;

    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    static List<Map<String, String>> changes(List<Change> changes) {
        return changes.stream().map(change -> Map.of("action", change.action(), "target", change.target())).toList();
    }

    void printJson(PrintWriter out, Object document) {
        try {
            out.println(JSON.writeValueAsString(document));
            out.flush();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The changes as {@link ChangeSummary} abbreviates them (the rule the workflow's Provision outcome uses too). */
    void printChanges(PrintWriter out, List<Change> changes) {
        if (changes.isEmpty()) {
            out.println("No changes: everything was already in place.");
            return;
        }
        ChangeSummary.lines(changes).forEach(line -> out.println("  " + line));
        out.println(changes.size() + " change(s).");
    }

    /** Progress lines on stderr, at most one per batch; silent with --json or --quiet. */
    ProgressListener progress(PrintWriter err) {
        if (json || quiet) {
            return ProgressListener.NONE;
        }
        return (phase, done, total) -> {
            if (total >= 100) {
                err.printf("%s: %d/%d tables (%d%%)%n", phase, done, total, done * 100L / total);
                err.flush();
            }
        };
    }
}
