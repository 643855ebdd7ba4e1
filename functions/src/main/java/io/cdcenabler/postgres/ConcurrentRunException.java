package io.cdcenabler.postgres;

import java.util.List;

/**
 * Another cdc-enabler run held the database's lock for longer than this run would wait. Transient, like a lock
 * timeout: nothing was changed by this run, and a later run finds the other's work done.
 */
public class ConcurrentRunException extends LockTimeoutException {
    public ConcurrentRunException(String message) {
        super(message, List.of(), null);
    }
}
