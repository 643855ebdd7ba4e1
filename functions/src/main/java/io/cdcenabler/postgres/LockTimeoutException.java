package io.cdcenabler.postgres;

import java.util.List;

/**
 * Some tables stayed locked by other sessions through every attempt within the lock timeout. Transient: the tables
 * it names were left unchanged, everything else was done, and a later run finishes the job.
 */
public class LockTimeoutException extends CdcEnablerException {
    private final List<String> tables;

    public LockTimeoutException(String message, List<String> tables, Throwable cause) {
        super(message, cause);
        this.tables = List.copyOf(tables);
    }

    /** The tables that could not be changed, schema-qualified. */
    public List<String> tables() {
        return tables;
    }
}
