package io.cdcenabler.workflow;

/** Transient: Tables stayed locked by other sessions through every attempt; a later run finishes them. */
public final class TablesLockedException extends TransientException {
    public TablesLockedException(String message, Throwable cause) {
        super(message, cause);
    }

    public TablesLockedException(String message) {
        super(message, null);
    }
}
