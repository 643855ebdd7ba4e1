package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * The request's credentialsMode: which role the CDC tool logs in as. The engine has its own CredentialsMode; the
 * steps translate this one to it with an exhaustive switch, so neither the contract nor the engine depends on the
 * other.
 */
public enum RequestCredentialsMode {
    /** A dedicated least-privilege login role with its own secret. */
    READ_ONLY_USER,
    /** The admin's own credentials: no role is created. */
    MASTER;

    /** The mode named by {@code value} in any case; null for null; an unknown value names the field. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RequestCredentialsMode of(String value) {
        return EnumValues.parse(RequestCredentialsMode.class, "credentialsMode", value);
    }
}
