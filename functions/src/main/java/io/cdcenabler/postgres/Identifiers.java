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
        requireStorable(field, name);
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new InvalidSpecException(field + " must not contain a control character (a newline, tab, "
                        + "...): " + String.format("U+%04X", (int) name.charAt(i)) + " at position " + (i + 1)
                        + " of " + escaped(name));
            }
        }
        return name;
    }

    /**
     * Returns the name unchanged when PostgreSQL can hold it as it is (not empty, no NUL, at most {@value #MAX_BYTES}
     * bytes). Unlike {@link #require} it allows control characters: a name read from the catalog is the name of a
     * real object, which the application may have created quoted with a newline; SQL quotes it like any other and
     * messages show such characters as escapes ({@link #printable}).
     */
    static String requireStorable(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidSpecException(field + " must not be empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new InvalidSpecException(field + " must not contain a NUL character: " + escaped(name));
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
        refuseSystemSchema(field, schema);
        return schema;
    }

    /** Refuses the system schemas, which are never tracked. */
    static void refuseSystemSchema(String field, String schema) {
        if (SYSTEM_SCHEMAS.contains(schema) || schema.startsWith("pg_temp") || schema.startsWith("pg_toast_temp")) {
            throw new InvalidSpecException(field + " names the system schema " + schema + ", which cannot be tracked");
        }
    }

    /** Double-quotes an identifier, doubling embedded quotes, so any name is safe in SQL text. */
    public static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** The name quoted, with control characters shown as escapes so a message stays on one line. */
    private static String escaped(String name) {
        return quote(showControls(name));
    }

    /** The text with each control character shown as an escape ({@code \\u000a}), so it stays on one line. */
    static String showControls(String text) {
        StringBuilder shown = new StringBuilder();
        for (char c : text.toCharArray()) {
            shown.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return shown.toString();
    }

    /** A name as a person would read it in a message: quoted only when it needs to be, control characters escaped. */
    public static String printable(String name) {
        return name.matches("[a-z_][a-z0-9_$]*") ? name : escaped(name);
    }
}
