package io.cdcenabler.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/** The SecretString of an admin secret as RDS and Secrets Manager store it, built by Jackson (so values are escaped). */
public final class AdminSecretJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AdminSecretJson() {
    }

    /** {@code {"username":..., "password":...}}. */
    public static String of(String username, String password) {
        return write(MAPPER.createObjectNode().put("username", username).put("password", password));
    }

    /** {@code {"username":...}}: a secret with no password field. */
    public static String withoutPassword(String username) {
        return write(MAPPER.createObjectNode().put("username", username));
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
