package io.cdcenabler.workflow;

/** Permanent: The instance is in a state waiting does not cure (stopped, storage-full, incompatible-parameters, deleting, ...). */
public final class TerminalStatusException extends WorkflowException {
    public TerminalStatusException(String message) {
        super(message);
    }

    public TerminalStatusException(String message, Throwable cause) {
        super(message, cause);
    }
}
