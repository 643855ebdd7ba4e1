package io.cdcenabler.handler;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.workflow.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** The one ObjectMapper of the handlers, and reading and writing the state machine's JSON with it. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Json() {
    }

    public static JsonNode read(InputStream input) {
        try {
            JsonNode node = MAPPER.readTree(input);
            if (node == null || !node.isObject()) {
                throw new InvalidInputException("input must be a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException("input is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new InvalidInputException("input does not fit " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException("input does not fit " + type.getSimpleName() + ": "
                    + e.getOriginalMessage());
        }
    }

    public static void write(OutputStream output, Object value) {
        try {
            MAPPER.writeValue(output, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
