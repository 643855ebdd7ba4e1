package io.cdcenabler.postgres.decoding;

import java.util.List;
import java.util.Objects;

/**
 * A table as described by a pgoutput Relation message ({@code 'R'}): the decoder remembers it so that later
 * Insert, Update and Delete messages, which carry only the relation OID, can be reported with names.
 */
public record Relation(int oid, String schema, String table, ReplicaIdentity replicaIdentity, List<Column> columns) {

    public Relation {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(replicaIdentity, "replicaIdentity");
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
    }

    /** One published column; {@code key} marks a column of the replica identity key. */
    public record Column(String name, int typeOid, int typeModifier, boolean key) {
        public Column {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The relation's REPLICA IDENTITY, as {@code pg_class.relreplident}. */
    public enum ReplicaIdentity {
        DEFAULT('d'), NOTHING('n'), FULL('f'), INDEX('i');

        private final char code;

        ReplicaIdentity(char code) {
            this.code = code;
        }

        public char code() {
            return code;
        }

        /** The setting for a {@code relreplident} code; fails naming the code when it is unknown. */
        public static ReplicaIdentity fromCode(char code) {
            for (ReplicaIdentity identity : values()) {
                if (identity.code == code) {
                    return identity;
                }
            }
            throw new PgOutputDecodingException("unknown replica identity setting '" + code + "' (0x"
                    + Integer.toHexString(code) + "); expected one of d, n, f, i");
        }
    }
}
