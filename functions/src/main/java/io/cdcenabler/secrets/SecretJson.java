package io.cdcenabler.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.workflow.InvalidSecretException;

/** Parses and writes secret strings. Messages name fields, never values: a secret string is not echoed anywhere. */
final class SecretJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private SecretJson() {
    }

    /** The secret string as a JSON object, or an {@link InvalidSecretException} naming the secret. */
    static ObjectNode parse(String secretString, String secretId) {
        if (secretString == null) {
            throw new InvalidSecretException("secret " + secretId + " has no SecretString (a binary secret?): "
                    + "expected a JSON object with username and password");
        }
        try {
            JsonNode node = MAPPER.readTree(secretString);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            // The parser's message quotes the text it choked on, which is secret: report the position only.
            throw new InvalidSecretException("secret " + secretId + " is not valid JSON (error at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                    + "): expected a JSON object with username and password");
        }
        throw new InvalidSecretException("secret " + secretId + " is not a JSON object: expected a JSON object with "
                + "username and password");
    }

    /** A non-empty text field, or an {@link InvalidSecretException} naming the field and the secret. */
    static String requireText(ObjectNode secret, String field, String secretId) {
        JsonNode value = secret.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidSecretException("secret " + secretId + " has no " + field + " field: expected a JSON "
                    + "object with non-empty username and password");
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw new InvalidSecretException("secret " + secretId + " has an empty or non-text " + field
                    + " field: expected a non-empty string");
        }
        return value.asText();
    }

    static String write(ObjectNode secret) {
        try {
            return MAPPER.writeValueAsString(secret);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON object", e);
        }
    }
}
