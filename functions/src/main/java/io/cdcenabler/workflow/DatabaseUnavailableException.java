package io.cdcenabler.workflow;

/** Transient: The database refused or dropped the connection, as while it reboots. */
public final class DatabaseUnavailableException extends TransientException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public DatabaseUnavailableException(String message) {
        super(message, null);
    }
}
