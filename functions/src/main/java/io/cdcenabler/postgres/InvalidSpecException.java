package io.cdcenabler.postgres;

/** Bad input: a name, option or combination that cannot be provisioned. Permanent; nothing was changed. */
public class InvalidSpecException extends CdcEnablerException {
    public InvalidSpecException(String message) {
        super(message);
    }
}
