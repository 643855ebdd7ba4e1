package io.cdcenabler.infra;

/** CDK context that is missing or malformed; the message names the context key, what it expects and what it got. */
public final class InvalidContextException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidContextException(String message) {
        super(message);
    }
}
