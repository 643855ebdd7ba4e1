package io.cdcenabler.workflow;

/**
 * The root of the errors a workflow step reports. The fully qualified class names of its subclasses are the
 * contract with the state machine's Retry and Catch: {@link TransientException} subclasses are retried, the others
 * end the execution with a named failure. A message never contains a secret value.
 */
public abstract class WorkflowException extends RuntimeException {
    protected WorkflowException(String message) {
        super(message);
    }

    protected WorkflowException(String message, Throwable cause) {
        super(message, cause);
    }
}
