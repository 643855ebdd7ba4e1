package io.cdcenabler.secrets;

import io.cdcenabler.workflow.InvalidInputException;

/**
 * Where and as whom the CDC tool connects: every field of the CDC secret except the password. The secret holds
 * these in the conventional PostgreSQL shape {@code {"engine":"postgres","host","port","username","password",
 * "dbname"}} that rotation templates and most tools read, plus {@code publication}.
 */
public record CdcConnection(String host, int port, String username, String dbname, String publication) {
    public CdcConnection {
        requireText("host", host);
        requireText("username", username);
        requireText("dbname", dbname);
        requireText("publication", publication);
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("port must be between 1 and 65535, was " + port);
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidInputException(field + " of the CDC connection must not be empty, was "
                    + (value == null ? "null" : "\"" + value + "\""));
        }
    }
}
