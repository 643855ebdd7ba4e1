package io.cdcenabler.workflow;

/** Transient: The instance or cluster is in a state that refuses the call now (InvalidDBInstanceState, InvalidDBClusterStateFault). */
public final class InstanceBusyException extends TransientException {
    public InstanceBusyException(String message, Throwable cause) {
        super(message, cause);
    }

    public InstanceBusyException(String message) {
        super(message, null);
    }
}
