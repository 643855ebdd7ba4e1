package io.cdcenabler.postgres;

/** The database holds an object of ours in a shape the request cannot converge to without a destructive step. */
public class ConflictingStateException extends CdcEnablerException {
    public ConflictingStateException(String message) {
        super(message);
    }
}
