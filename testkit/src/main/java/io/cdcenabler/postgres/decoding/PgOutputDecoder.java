package io.cdcenabler.postgres.decoding;

import io.cdcenabler.postgres.decoding.RowChange.Kind;
import io.cdcenabler.postgres.decoding.RowChange.OldImage;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes messages of the pgoutput logical replication protocol, version 1, as returned one per row by
 * {@code pg_logical_slot_peek_binary_changes(slot, NULL, NULL, 'proto_version', '1', 'publication_names', pub)},
 * into row changes with schema, table and column names and their old and new row images.
 *
 * <p>Relation messages are remembered (an instance is stateful and not thread-safe); Begin, Commit, Origin and
 * Type messages are checked and consumed; message types it does not know (for example logical decoding messages
 * or the streaming messages of later protocol versions) are skipped.
 */
public final class PgOutputDecoder {

    private static final String PEEK_SQL = """
            SELECT data
            FROM pg_catalog.pg_logical_slot_peek_binary_changes(
                CAST(? AS name), NULL, NULL,
                'proto_version', '1',
                'publication_names', pg_catalog.quote_ident(?))
            """;
    private static final String GET_SQL = PEEK_SQL.replace("_peek_", "_get_");

    private final Map<Integer, Relation> relations = new HashMap<>();

    /**
     * Reads and decodes, without consuming them, the changes pending in a logical slot created with the pgoutput
     * plugin, limited to one publication. Each call decodes from the slot's confirmed position, so it uses a fresh
     * decoder (the server repeats the Relation messages).
     */
    public static List<RowChange> peekChanges(Connection connection, String slotName, String publicationName) {
        return readChanges(connection, PEEK_SQL, slotName, publicationName);
    }

    /** Like {@link #peekChanges} but consumes the changes, so the next call returns only newer ones. */
    public static List<RowChange> consumeChanges(Connection connection, String slotName, String publicationName) {
        return readChanges(connection, GET_SQL, slotName, publicationName);
    }

    private static List<RowChange> readChanges(Connection connection, String sql, String slotName,
                                               String publicationName) {
        PgOutputDecoder decoder = new PgOutputDecoder();
        List<RowChange> changes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, slotName);
            statement.setString(2, publicationName);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    changes.addAll(decoder.decode(rs.getBytes(1)));
                }
            }
        } catch (SQLException e) {
            throw new SlotReadException("reading slot " + slotName + " for publication " + publicationName
                    + " failed: " + e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
        return changes;
    }

    /** Decodes messages in order; see {@link #decode(byte[])}. */
    public List<RowChange> decodeAll(List<byte[]> messages) {
        List<RowChange> changes = new ArrayList<>();
        for (byte[] message : messages) {
            changes.addAll(decode(message));
        }
        return changes;
    }

    /**
     * Decodes one message: an Insert, Update or Delete gives one change, a Truncate one per table, every other
     * message none (a Relation message is remembered for the changes that follow).
     */
    public List<RowChange> decode(byte[] message) {
        if (message == null || message.length == 0) {
            throw new PgOutputDecodingException("message must not be empty");
        }
        Reader in = new Reader(message);
        char type = (char) in.byte1();
        List<RowChange> changes;
        switch (type) {
            case 'B' -> changes = skipBegin(in);
            case 'C' -> changes = skipCommit(in);
            case 'O' -> changes = skipOrigin(in);
            case 'R' -> changes = readRelation(in);
            case 'Y' -> changes = readType(in);
            case 'I' -> changes = List.of(readInsert(in));
            case 'U' -> changes = List.of(readUpdate(in));
            case 'D' -> changes = List.of(readDelete(in));
            case 'T' -> changes = readTruncate(in);
            default -> {
                return List.of();
            }
        }
        in.expectEnd();
        return changes;
    }

    private static List<RowChange> skipBegin(Reader in) {
        in.int64();
        in.int64();
        in.int32();
        return List.of();
    }

    private static List<RowChange> skipCommit(Reader in) {
        in.byte1();
        in.int64();
        in.int64();
        in.int64();
        return List.of();
    }

    private static List<RowChange> skipOrigin(Reader in) {
        in.int64();
        in.string();
        return List.of();
    }

    private List<RowChange> readRelation(Reader in) {
        int oid = in.int32();
        String namespace = in.string();
        String name = in.string();
        Relation.ReplicaIdentity identity = Relation.ReplicaIdentity.fromCode((char) in.byte1());
        int count = in.int16();
        List<Relation.Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean key = (in.byte1() & 1) != 0;
            String columnName = in.string();
            int typeOid = in.int32();
            int typeModifier = in.int32();
            columns.add(new Relation.Column(columnName, typeOid, typeModifier, key));
        }
        String schema = namespace.isEmpty() ? "pg_catalog" : namespace;
        relations.put(oid, new Relation(oid, schema, name, identity, columns));
        return List.of();
    }

    /** A Type message (OID, namespace, name) announces a non-built-in type; no decoded value needs its name. */
    private static List<RowChange> readType(Reader in) {
        in.int32();
        in.string();
        in.string();
        return List.of();
    }

    private RowChange readInsert(Reader in) {
        Relation relation = knownRelation(in.int32(), 'I');
        in.expectTag('N', "Insert");
        Map<String, ColumnValue> newRow = readTuple(in, relation, false);
        return new RowChange(Kind.INSERT, relation.schema(), relation.table(), OldImage.NONE, Map.of(), newRow);
    }

    private RowChange readUpdate(Reader in) {
        Relation relation = knownRelation(in.int32(), 'U');
        char tag = (char) in.byte1();
        OldImage oldImage = OldImage.NONE;
        Map<String, ColumnValue> oldRow = Map.of();
        if (tag == 'K' || tag == 'O') {
            oldImage = tag == 'K' ? OldImage.KEY : OldImage.FULL;
            oldRow = readTuple(in, relation, oldImage == OldImage.KEY);
            tag = (char) in.byte1();
        }
        if (tag != 'N') {
            throw new PgOutputDecodingException("Update of " + relation.schema() + "." + relation.table()
                    + ": expected 'N' (new tuple), got '" + tag + "' at byte " + (in.position() - 1));
        }
        Map<String, ColumnValue> newRow = readTuple(in, relation, false);
        return new RowChange(Kind.UPDATE, relation.schema(), relation.table(), oldImage, oldRow, newRow);
    }

    private RowChange readDelete(Reader in) {
        Relation relation = knownRelation(in.int32(), 'D');
        char tag = (char) in.byte1();
        if (tag != 'K' && tag != 'O') {
            throw new PgOutputDecodingException("Delete from " + relation.schema() + "." + relation.table()
                    + ": expected 'K' (key) or 'O' (old tuple), got '" + tag + "' at byte " + (in.position() - 1));
        }
        OldImage oldImage = tag == 'K' ? OldImage.KEY : OldImage.FULL;
        Map<String, ColumnValue> oldRow = readTuple(in, relation, oldImage == OldImage.KEY);
        return new RowChange(Kind.DELETE, relation.schema(), relation.table(), oldImage, oldRow, Map.of());
    }

    private List<RowChange> readTruncate(Reader in) {
        int count = in.int32();
        in.byte1();
        List<RowChange> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Relation relation = knownRelation(in.int32(), 'T');
            changes.add(new RowChange(Kind.TRUNCATE, relation.schema(), relation.table(), OldImage.NONE,
                    Map.of(), Map.of()));
        }
        return changes;
    }

    /**
     * Reads a TupleData. In a key image the server sends every column, the non-key ones as NULL: those are left
     * out so that a key image does not read as a row whose other columns are NULL.
     */
    private static Map<String, ColumnValue> readTuple(Reader in, Relation relation, boolean keyOnly) {
        int count = in.int16();
        if (count != relation.columns().size()) {
            throw new PgOutputDecodingException("TupleData of " + relation.schema() + "." + relation.table()
                    + " has " + count + " columns, its Relation message announced " + relation.columns().size());
        }
        Map<String, ColumnValue> row = new LinkedHashMap<>();
        for (Relation.Column column : relation.columns()) {
            char kind = (char) in.byte1();
            ColumnValue value = switch (kind) {
                case 'n' -> ColumnValue.NULL;
                case 'u' -> ColumnValue.UNCHANGED_TOAST;
                case 't' -> new ColumnValue.Text(new String(in.bytes(in.int32()), StandardCharsets.UTF_8),
                        column.typeOid());
                case 'b' -> new ColumnValue.Binary(in.bytes(in.int32()), column.typeOid());
                default -> throw new PgOutputDecodingException("column " + column.name() + " of "
                        + relation.schema() + "." + relation.table() + ": unknown TupleData kind '" + kind
                        + "' at byte " + (in.position() - 1) + "; expected n, u, t or b");
            };
            if (!keyOnly || column.key() || !(value instanceof ColumnValue.Null)) {
                row.put(column.name(), value);
            }
        }
        return row;
    }

    private Relation knownRelation(int oid, char messageType) {
        Relation relation = relations.get(oid);
        if (relation == null) {
            throw new PgOutputDecodingException("message '" + messageType + "' refers to relation OID "
                    + Integer.toUnsignedString(oid) + ", which no earlier Relation message described");
        }
        return relation;
    }

    /** A big-endian cursor over one message that fails with the offset when the message is too short. */
    private static final class Reader {
        private final byte[] data;
        private int position;

        Reader(byte[] data) {
            this.data = data;
        }

        int position() {
            return position;
        }

        int byte1() {
            require(1);
            return data[position++] & 0xff;
        }

        int int16() {
            require(2);
            int value = ((data[position] & 0xff) << 8) | (data[position + 1] & 0xff);
            position += 2;
            return value;
        }

        int int32() {
            require(4);
            int value = 0;
            for (int i = 0; i < 4; i++) {
                value = (value << 8) | (data[position++] & 0xff);
            }
            return value;
        }

        long int64() {
            require(8);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (data[position++] & 0xff);
            }
            return value;
        }

        byte[] bytes(int length) {
            if (length < 0) {
                throw new PgOutputDecodingException("negative length " + length + " at byte " + (position - 4)
                        + " of a " + (char) data[0] + " message");
            }
            require(length);
            byte[] value = new byte[length];
            System.arraycopy(data, position, value, 0, length);
            position += length;
            return value;
        }

        String string() {
            int end = position;
            while (end < data.length && data[end] != 0) {
                end++;
            }
            if (end == data.length) {
                throw new PgOutputDecodingException("unterminated string at byte " + position + " of a "
                        + (char) data[0] + " message of " + data.length + " bytes");
            }
            String value = new String(data, position, end - position, StandardCharsets.UTF_8);
            position = end + 1;
            return value;
        }

        void expectTag(char expected, String messageName) {
            char actual = (char) byte1();
            if (actual != expected) {
                throw new PgOutputDecodingException(messageName + ": expected '" + expected + "' at byte "
                        + (position - 1) + ", got '" + actual + "'");
            }
        }

        void expectEnd() {
            if (position != data.length) {
                throw new PgOutputDecodingException("a " + (char) data[0] + " message of " + data.length
                        + " bytes has " + (data.length - position) + " bytes left after decoding");
            }
        }

        private void require(int length) {
            if (data.length - position < length) {
                throw new PgOutputDecodingException("a " + (char) data[0] + " message of " + data.length
                        + " bytes ends at byte " + position + ", " + length + " more were expected");
            }
        }
    }
}
