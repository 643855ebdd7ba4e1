package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reconciliation's output: one line per target (READY / REPAIRED / DRIFT_PENDING_REBOOT / FAILED with the named
 * error) and the totals per result.
 *
 * @param reason why it ran (the schedule, or the lifecycle event)
 * @param targets how many enrolments were checked
 * @param totals the number of targets per result, every result present (0 when none)
 * @param lines one line per target, in the order the Map returned them
 */
public record ReconcileSummary(String reason, int targets, Map<String, Integer> totals, List<String> lines) {
    /** The results a line can carry; each is counted in {@code totals}. */
    public static final List<String> RESULTS = List.of("READY", "REPAIRED", "DRIFT_PENDING_REBOOT", "FAILED");

    /** The Map's results as the Summarise state receives them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Input(String reason, List<Line> results) {
    }

    /** What each item's RecordResult returned (only the fields the summary needs). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Line(String result, String line) {
    }

    /** Counts and lists {@code input}'s lines; a missing line counts as FAILED, so no target is lost silently. */
    public static ReconcileSummary of(Input input) {
        Map<String, Integer> totals = new TreeMap<>();
        RESULTS.forEach(result -> totals.put(result, 0));
        List<String> lines = new ArrayList<>();
        List<Line> results = input == null || input.results() == null ? List.of() : input.results();
        for (Line line : results) {
            String result = line == null || line.result() == null || !RESULTS.contains(line.result()) ? "FAILED"
                    : line.result();
            totals.merge(result, 1, Integer::sum);
            lines.add(line == null || line.line() == null ? "(an item returned no line) FAILED" : line.line());
        }
        return new ReconcileSummary(input == null ? null : input.reason(), results.size(), totals, List.copyOf(lines));
    }
}
