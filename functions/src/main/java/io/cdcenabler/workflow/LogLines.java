package io.cdcenabler.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON log line from key/value pairs, written by Jackson so every value is escaped, with the Step Functions
 * execution's name ({@link LogContext}) when a handler set it: the one log-line writer of the steps. Never pass a
 * secret value.
 */
public final class LogLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LogLines() {
    }

    /** {@code json("event", "x", "instance", id)} gives {@code {"event":"x","instance":"db-1"}}. */
    public static String json(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keysAndValues must hold key/value pairs, got "
                    + keysAndValues.length + " items");
        }
        ObjectNode line = MAPPER.createObjectNode();
        String execution = LogContext.execution();
        if (execution != null) {
            line.put("execution", execution);
        }
        for (int i = 0; i < keysAndValues.length; i += 2) {
            line.set(String.valueOf(keysAndValues[i]), MAPPER.valueToTree(keysAndValues[i + 1]));
        }
        try {
            return MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a log line", e);
        }
    }
}
