package io.cdcenabler.postgres;

/**
 * The admin role lacks a privilege a step needs. The message says which, for which objects, and how to grant it.
 * Permanent until an operator grants it; raised before anything was changed where it can be foreseen.
 */
public class MissingPrivilegeException extends CdcEnablerException {
    public MissingPrivilegeException(String message) {
        super(message);
    }

    public MissingPrivilegeException(String message, Throwable cause) {
        super(message, cause);
    }
}
