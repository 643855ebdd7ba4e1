package io.cdcenabler.postgres;

/** A schema, table or publication named in the input does not exist. Permanent; nothing was changed. */
public class UnknownObjectException extends CdcEnablerException {
    public UnknownObjectException(String message) {
        super(message);
    }
}
