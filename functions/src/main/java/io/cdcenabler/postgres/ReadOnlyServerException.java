package io.cdcenabler.postgres;

/** The server cannot be provisioned because it does not accept writes: a hot standby, or a read-only session. */
public class ReadOnlyServerException extends CdcEnablerException {
    public ReadOnlyServerException(String message) {
        super(message);
    }
}
