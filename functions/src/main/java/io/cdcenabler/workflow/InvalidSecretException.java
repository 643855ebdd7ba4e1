package io.cdcenabler.workflow;

/** Permanent: The admin secret is missing, unreadable, or lacks username and password. */
public final class InvalidSecretException extends WorkflowException {
    public InvalidSecretException(String message) {
        super(message);
    }

    public InvalidSecretException(String message, Throwable cause) {
        super(message, cause);
    }
}
