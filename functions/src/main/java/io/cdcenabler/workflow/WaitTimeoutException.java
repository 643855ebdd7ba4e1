package io.cdcenabler.workflow;

/** Permanent: The instance did not become ready within the configured overall wait. */
public final class WaitTimeoutException extends WorkflowException {
    public WaitTimeoutException(String message) {
        super(message);
    }

    public WaitTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
