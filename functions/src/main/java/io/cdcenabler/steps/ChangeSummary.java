package io.cdcenabler.steps;

import io.cdcenabler.postgres.Change;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes as lines, for the execution's state (which Step Functions caps at 256 KiB) and for the command line
 * alike: an action done to more than {@value #LISTED_PER_ACTION} objects (REPLICA IDENTITY FULL on 20,000 tables) is
 * one line with their number and the first {@value #NAMED_WHEN_ABBREVIATED} names, so the summary stays a few KiB
 * whatever the database's size.
 */
public final class ChangeSummary {
    public static final int LISTED_PER_ACTION = 10;
    static final int NAMED_WHEN_ABBREVIATED = 5;

    private ChangeSummary() {
    }

    public static List<String> lines(List<Change> changes) {
        Map<String, List<String>> byAction = new LinkedHashMap<>();
        changes.forEach(change -> byAction.computeIfAbsent(change.action(), a -> new ArrayList<>())
                .add(change.target()));
        List<String> lines = new ArrayList<>();
        byAction.forEach((action, targets) -> {
            if (targets.size() <= LISTED_PER_ACTION) {
                targets.forEach(target -> lines.add(new Change(action, target).toString()));
            } else {
                lines.add(action + " " + String.join(", ", targets.subList(0, NAMED_WHEN_ABBREVIATED)) + " and "
                        + (targets.size() - NAMED_WHEN_ABBREVIATED) + " more (" + targets.size() + " in all)");
            }
        });
        return lines;
    }
}
