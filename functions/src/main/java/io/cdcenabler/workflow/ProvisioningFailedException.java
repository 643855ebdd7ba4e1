package io.cdcenabler.workflow;

/** Permanent: Provisioning failed for a reason the message names. */
public final class ProvisioningFailedException extends WorkflowException {
    public ProvisioningFailedException(String message) {
        super(message);
    }

    public ProvisioningFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
