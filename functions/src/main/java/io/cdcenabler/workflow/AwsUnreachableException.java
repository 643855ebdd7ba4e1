package io.cdcenabler.workflow;

/** Transient: an AWS API call failed on the client side (connection refused or reset, timeout) before any answer. */
public final class AwsUnreachableException extends TransientException {
    public AwsUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
