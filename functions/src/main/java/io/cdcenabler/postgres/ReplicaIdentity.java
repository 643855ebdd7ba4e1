package io.cdcenabler.postgres;

/** The replica identity settings the engine sets: FULL to track a table, DEFAULT to stop. */
public enum ReplicaIdentity {
    FULL('f'),
    DEFAULT('d');

    private final char catalogCode;

    ReplicaIdentity(char catalogCode) {
        this.catalogCode = catalogCode;
    }

    /** The value of pg_class.relreplident for this setting. */
    public char catalogCode() {
        return catalogCode;
    }

    String alterStatement(TableName table) {
        return "ALTER TABLE " + table.quoted() + " REPLICA IDENTITY " + name();
    }
}
