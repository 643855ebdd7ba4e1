package io.cdcenabler.workflow;

/** Permanent: The admin user lacks a privilege a step needs; the message says which and how to grant it. */
public final class MissingPrivilegeException extends WorkflowException {
    public MissingPrivilegeException(String message) {
        super(message);
    }

    public MissingPrivilegeException(String message, Throwable cause) {
        super(message, cause);
    }
}
