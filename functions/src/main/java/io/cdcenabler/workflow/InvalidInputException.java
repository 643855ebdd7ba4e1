package io.cdcenabler.workflow;

/** Permanent: The request is malformed or names something impossible; nothing was changed. */
public final class InvalidInputException extends WorkflowException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
