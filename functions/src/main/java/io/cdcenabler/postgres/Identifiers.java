package io.cdcenabler.postgres;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Validates PostgreSQL identifiers and quotes them for SQL text, the one client-side place that does so. */
public final class Identifiers {

    /** PostgreSQL silently truncates longer names (NAMEDATALEN - 1 bytes), which would make us act on another object. */
    public static final int MAX_BYTES = 63;

    private static final Set<String> SYSTEM_SCHEMAS = Set.of("pg_catalog", "information_schema", "pg_toast");

    private Identifiers() {
    }

    /** Returns the name unchanged when it is a usable identifier, else throws naming the field and the problem. */
    public static String require(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidSpecException(field + " must not be empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new InvalidSpecException(field + " must not contain a NUL character: " + escaped(name));
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new InvalidSpecException(field + " must not contain a control character (a newline, tab, "
                        + "...): " + String.format("U+%04X", (int) name.charAt(i)) + " at position " + (i + 1)
                        + " of " + escaped(name));
            }
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new InvalidSpecException(field + " is " + bytes + " bytes long; PostgreSQL names hold at most "
                    + MAX_BYTES + " bytes: " + printable(name));
        }
        return name;
    }

    /** Like {@link #require} and also refuses the system schemas, which are never tracked. */
    public static String requireUserSchema(String field, String schema) {
        require(field, schema);
        if (SYSTEM_SCHEMAS.contains(schema) || schema.startsWith("pg_temp") || schema.startsWith("pg_toast_temp")) {
            throw new InvalidSpecException(field + " names the system schema " + schema + ", which cannot be tracked");
        }
        return schema;
    }

    /** Double-quotes an identifier, doubling embedded quotes, so any name is safe in SQL text. */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** The name quoted, with control characters shown as escapes so a message stays on one line. */
    private static String escaped(String name) {
        StringBuilder text = new StringBuilder();
        for (char c : name.toCharArray()) {
            text.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return quote(text.toString());
    }

    /** A name as a person would read it in a message: quoted only when it needs to be. */
    public static String printable(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : quote(name);
    }
}
