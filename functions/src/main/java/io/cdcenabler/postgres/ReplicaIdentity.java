package io.cdcenabler.postgres;

/** The replica identity settings the engine sets: FULL to track a table, DEFAULT to stop. */
public enum ReplicaIdentity {
    FULL,
    DEFAULT
}
