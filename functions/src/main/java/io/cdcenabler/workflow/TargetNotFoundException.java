package io.cdcenabler.workflow;

/** Permanent: No DB instance or cluster has the given identifier. */
public final class TargetNotFoundException extends WorkflowException {
    public TargetNotFoundException(String message) {
        super(message);
    }

    public TargetNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
