package io.cdcenabler.rds;

import io.cdcenabler.workflow.LogLines;
import org.slf4j.Logger;

/**
 * Writes one JSON line per decision (what was found, what was done), keyed by step, target and the Step Functions
 * execution (from the LogContext). Callers pass only identifiers, names and statuses: never a secret value or a
 * whole event.
 */
final class DecisionLog {
    private DecisionLog() {
    }

    /** Logs {@code step} and {@code target}, then the alternating key/value pairs. */
    static void decision(Logger log, String step, String target, Object... keyValues) {
        if (!log.isInfoEnabled()) {
            return;
        }
        Object[] line = new Object[keyValues.length + 4];
        line[0] = "step";
        line[1] = step;
        line[2] = "target";
        line[3] = target;
        System.arraycopy(keyValues, 0, line, 4, keyValues.length);
        log.info(LogLines.json(line));
    }
}
