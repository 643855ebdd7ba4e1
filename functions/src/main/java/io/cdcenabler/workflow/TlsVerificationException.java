package io.cdcenabler.workflow;

/**
 * Permanent: the database's TLS certificate could not be verified (verify-full against the RDS CA bundle), so no
 * credentials were sent. Retrying does not help: refresh the bundle, or check that the endpoint is the instance's.
 */
public final class TlsVerificationException extends WorkflowException {
    public TlsVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
