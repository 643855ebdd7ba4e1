package io.cdcenabler.workflow;

/** A failure that waiting and retrying can cure: throttling, an instance busy or rebooting, a held lock. */
public abstract class TransientException extends WorkflowException {
    protected TransientException(String message, Throwable cause) {
        super(message, cause);
    }
}
