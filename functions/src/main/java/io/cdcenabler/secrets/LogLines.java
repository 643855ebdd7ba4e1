package io.cdcenabler.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.workflow.LogContext;

/**
 * One JSON log line from key/value pairs, written by Jackson so every value is escaped, with the Step Functions
 * execution's name (LogContext) when a handler set it. Never pass a secret value.
 */
public final class LogLines {
    private LogLines() {
    }

    /** {@code json("event", "x", "instance", id)} gives {@code {"event":"x","instance":"db-1"}}. */
    public static String json(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keysAndValues must hold key/value pairs, got "
                    + keysAndValues.length + " items");
        }
        ObjectNode line = SecretJson.MAPPER.createObjectNode();
        String execution = LogContext.execution();
        if (execution != null) {
            line.put("execution", execution);
        }
        for (int i = 0; i < keysAndValues.length; i += 2) {
            line.set(String.valueOf(keysAndValues[i]), SecretJson.MAPPER.valueToTree(keysAndValues[i + 1]));
        }
        try {
            return SecretJson.MAPPER.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a log line", e);
        }
    }
}
