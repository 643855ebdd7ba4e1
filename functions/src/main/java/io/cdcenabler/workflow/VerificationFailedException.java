package io.cdcenabler.workflow;

/** Permanent: The database is not ready for CDC after provisioning; the message lists every failed check. */
public final class VerificationFailedException extends WorkflowException {
    public VerificationFailedException(String message) {
        super(message);
    }

    public VerificationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
