package io.cdcenabler.rds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.workflow.LogContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Writes one JSON line per decision (what was found, what was done), keyed by step, target and the Step Functions
 * execution (from the LogContext). Callers pass only identifiers, names and statuses: never a secret value or a
 * whole event.
 */
final class DecisionLog {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DecisionLog() {
    }

    /** Logs {@code step} with alternating key/value pairs. */
    static void decision(Logger log, String step, String target, Object... keyValues) {
        if (!log.isInfoEnabled()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("target", target);
        String execution = LogContext.execution();
        if (execution != null) {
            line.put("execution", execution);
        }
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        try {
            log.info(MAPPER.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            log.info("{\"step\":\"{}\",\"logError\":\"{}\"}", step, e.getOriginalMessage());
        }
    }
}
