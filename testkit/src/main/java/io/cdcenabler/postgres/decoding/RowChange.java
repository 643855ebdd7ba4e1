package io.cdcenabler.postgres.decoding;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * One row change decoded from pgoutput, with table and column names and the row images the server sent: the old
 * image is what a CDC consumer can know about the row before an UPDATE or DELETE, which depends on REPLICA IDENTITY.
 *
 * @param oldRow column name to value in table order; empty when {@code oldImage} is {@link OldImage#NONE}. A
 *               {@link OldImage#KEY} image holds only the replica identity key columns.
 * @param newRow column name to value in table order; empty for DELETE and TRUNCATE
 */
public record RowChange(Kind kind, String schema, String table, OldImage oldImage,
                        Map<String, ColumnValue> oldRow, Map<String, ColumnValue> newRow) {

    private static final int RENDERED_TEXT_LIMIT = 40;
    /** bool, int8, int2, int4, oid, float4, float8, numeric: rendered without quotes. */
    private static final Set<Integer> UNQUOTED_TYPE_OIDS = Set.of(16, 20, 21, 23, 26, 700, 701, 1700);

    /** What happened to the row. */
    public enum Kind { INSERT, UPDATE, DELETE, TRUNCATE }

    /**
     * Which old row image came with an UPDATE or DELETE: none (DEFAULT identity and the key did not change), the
     * replica identity key ({@code 'K'}), or the full old row ({@code 'O'}, REPLICA IDENTITY FULL).
     */
    public enum OldImage { NONE, KEY, FULL }

    public RowChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(oldImage, "oldImage");
        oldRow = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(oldRow, "oldRow")));
        newRow = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(newRow, "newRow")));
        if (oldImage == OldImage.NONE && !oldRow.isEmpty()) {
            throw new IllegalArgumentException("oldRow must be empty when oldImage is NONE, got " + oldRow.keySet());
        }
    }

    /** {@code schema.table}, as a person would read it. */
    public String qualifiedTable() {
        return schema + "." + table;
    }

    /**
     * One readable line, e.g. {@code UPDATE public.orders old={id=1, status='new'} new={id=1, status='paid'}}.
     * An UPDATE or DELETE without old image shows {@code old=(none)}, a key-only image {@code key={...}}; long text
     * is cut to its first 40 characters followed by its length.
     */
    public String render() {
        StringBuilder line = new StringBuilder(kind.name()).append(' ').append(qualifiedTable());
        if (kind == Kind.UPDATE || kind == Kind.DELETE) {
            switch (oldImage) {
                case NONE -> line.append(" old=(none)");
                case KEY -> line.append(" key=").append(render(oldRow));
                case FULL -> line.append(" old=").append(render(oldRow));
            }
        }
        if (kind == Kind.INSERT || kind == Kind.UPDATE) {
            line.append(" new=").append(render(newRow));
        }
        return line.toString();
    }

    private static String render(Map<String, ColumnValue> row) {
        StringJoiner joiner = new StringJoiner(", ", "{", "}");
        row.forEach((column, value) -> joiner.add(column + "=" + render(value)));
        return joiner.toString();
    }

    private static String render(ColumnValue value) {
        if (value instanceof ColumnValue.Text text) {
            String content = text.value();
            if (UNQUOTED_TYPE_OIDS.contains(text.typeOid())) {
                return content;
            }
            boolean cut = content.length() > RENDERED_TEXT_LIMIT;
            String shown = (cut ? content.substring(0, RENDERED_TEXT_LIMIT) + "..." : content)
                    .replace("'", "''")
                    .replace("\n", "\\n");
            return "'" + shown + "'" + (cut ? " (" + content.length() + " chars)" : "");
        }
        if (value instanceof ColumnValue.Binary binary) {
            return "<binary, " + binary.value().length + " bytes>";
        }
        return value.toString();
    }
}
