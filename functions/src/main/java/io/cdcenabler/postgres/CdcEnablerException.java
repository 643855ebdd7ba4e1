package io.cdcenabler.postgres;

/** The root of the errors the provisioning engine reports; each subtype's class name is part of the contract. */
public class CdcEnablerException extends RuntimeException {
    public CdcEnablerException(String message) {
        super(message);
    }

    public CdcEnablerException(String message, Throwable cause) {
        super(message, cause);
    }
}
