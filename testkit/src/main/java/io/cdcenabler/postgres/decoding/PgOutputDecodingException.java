package io.cdcenabler.postgres.decoding;

/** A pgoutput message could not be decoded: truncated, malformed, or about a relation not described before. */
public class PgOutputDecodingException extends RuntimeException {
    public PgOutputDecodingException(String message) {
        super(message);
    }

    public PgOutputDecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
