package io.cdcenabler.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * A schema-qualified table name, as it is in the catalog: the parts may hold any character PostgreSQL allows in a
 * quoted name, control characters included (the application may have created such a table); {@link #parse}, which
 * reads a name a person typed, refuses control characters.
 */
public record TableName(String schema, String table) implements Comparable<TableName> {

    public TableName {
        String of = "schema of table " + (table == null ? "null" : Identifiers.printable(table));
        Identifiers.requireStorable(of, schema);
        Identifiers.refuseSystemSchema(of, schema);
        Identifiers.requireStorable("table name", table);
    }

    /**
     * Parses {@code schema.table} or {@code table} (schema public). Parts may be double-quoted, as in SQL, to hold
     * dots, capitals or quotes: {@code "My Schema"."a.b"}. Unquoted parts are taken as written (not lower-cased),
     * so {@code Orders} names the table created as {@code "Orders"}.
     */
    public static TableName parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException("table name must not be empty");
        }
        refuseControlCharacters(text);
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    current.append(c);
                }
            } else if (c == '"' && current.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == '.') {
                parts.add(current.toString());
                current.setLength(0);
                wasQuoted = false;
            } else if (wasQuoted) {
                throw new InvalidSpecException("table name " + text + ": unexpected character after a closing quote");
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new InvalidSpecException("table name " + text + ": unterminated double quote");
        }
        parts.add(current.toString());
        if (parts.size() == 1) {
            return new TableName("public", parts.get(0));
        }
        if (parts.size() == 2) {
            return new TableName(parts.get(0), parts.get(1));
        }
        throw new InvalidSpecException("table name " + text + " has " + parts.size()
                + " dot-separated parts; expected table or schema.table (quote a name that holds a dot)");
    }

    /** A name a person typed with a newline or tab is a typing accident more likely than a table's real name. */
    private static void refuseControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\0' && Character.isISOControl(c)) {
                throw new InvalidSpecException("table name " + Identifiers.showControls(text) + " must not contain a "
                        + "control character (a newline, tab, ...): " + String.format("U+%04X", (int) c)
                        + " at position " + (i + 1));
            }
        }
    }

    /** The name as SQL text, both parts quoted. */
    public String quoted() {
        return Identifiers.quote(schema) + "." + Identifiers.quote(table);
    }

    @Override
    public int compareTo(TableName other) {
        int bySchema = schema.compareTo(other.schema);
        return bySchema != 0 ? bySchema : table.compareTo(other.table);
    }

    @Override
    public String toString() {
        return Identifiers.printable(schema) + "." + Identifiers.printable(table);
    }
}
