package io.cdcenabler.postgres.decoding;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One column of a row image in a pgoutput TupleData: SQL NULL, an unchanged TOASTed value that the server did not
 * send, a value in text form, or (with the {@code binary} option) in binary form.
 */
public sealed interface ColumnValue {

    /** The column is SQL NULL ({@code 'n'}). */
    ColumnValue NULL = new Null();

    /** The column holds an out-of-line TOASTed value that the UPDATE left unchanged, so it was not sent ({@code 'u'}). */
    ColumnValue UNCHANGED_TOAST = new UnchangedToast();

    static ColumnValue text(String value, int typeOid) {
        return new Text(value, typeOid);
    }

    /** The value as text, or null for NULL, unchanged TOAST and binary values. */
    default String textValue() {
        return this instanceof Text text ? text.value() : null;
    }

    /** SQL NULL ({@code 'n'}). */
    record Null() implements ColumnValue {
        @Override
        public String toString() {
            return "null";
        }
    }

    /** An unchanged TOASTed value the server did not send ({@code 'u'}). */
    record UnchangedToast() implements ColumnValue {
        @Override
        public String toString() {
            return "<unchanged toast>";
        }
    }

    /** A value in PostgreSQL's text output form ({@code 't'}), with the column's type OID. */
    record Text(String value, int typeOid) implements ColumnValue {
        public Text {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A value in PostgreSQL's binary send form ({@code 'b'}), with the column's type OID. */
    record Binary(byte[] value, int typeOid) implements ColumnValue {
        public Binary {
            value = Objects.requireNonNull(value, "value").clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Binary that && typeOid == that.typeOid && Arrays.equals(value, that.value);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(value) + typeOid;
        }

        @Override
        public String toString() {
            return "Binary[typeOid=" + typeOid + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }
}
