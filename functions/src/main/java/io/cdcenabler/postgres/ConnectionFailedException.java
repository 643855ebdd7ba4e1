package io.cdcenabler.postgres;

/** The server could not be reached or refused the login. Transient when the server is restarting. */
public class ConnectionFailedException extends CdcEnablerException {
    public ConnectionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
