package io.cdcenabler.postgres;

/** Which role the CDC tool logs in as. */
public enum CredentialsMode {
    /** A dedicated least-privilege login role that can replicate and read the tracked tables. */
    READ_ONLY_USER,
    /** The admin's own credentials: no role is created, only the publication and replica identity. */
    MASTER
}
