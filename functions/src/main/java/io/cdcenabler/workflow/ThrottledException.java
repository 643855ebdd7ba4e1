package io.cdcenabler.workflow;

/** Transient: AWS throttled a request (Throttling, TooManyRequestsException, RequestLimitExceeded). */
public final class ThrottledException extends TransientException {
    public ThrottledException(String message, Throwable cause) {
        super(message, cause);
    }

    public ThrottledException(String message) {
        super(message, null);
    }
}
