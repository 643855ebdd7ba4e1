package io.cdcenabler.workflow;

/** Permanent: The target's engine is not PostgreSQL or Aurora PostgreSQL. */
public final class NotPostgresException extends WorkflowException {
    public NotPostgresException(String message) {
        super(message);
    }

    public NotPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
