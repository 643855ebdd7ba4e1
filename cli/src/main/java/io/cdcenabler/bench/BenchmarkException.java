package io.cdcenabler.bench;

import io.cdcenabler.postgres.CdcEnablerException;

/** The benchmark could not run: invalid options, or a database step other than the measured ones failed. */
public final class BenchmarkException extends CdcEnablerException {
    public BenchmarkException(String message) {
        super(message);
    }

    public BenchmarkException(String message, Throwable cause) {
        super(message, cause);
    }
}
