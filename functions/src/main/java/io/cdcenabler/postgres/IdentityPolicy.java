package io.cdcenabler.postgres;

import java.sql.Connection;
import java.util.List;

/**
 * The one replica-identity policy, as SQL over a pg_class row aliased {@code c}. The event trigger's PL/pgSQL body
 * embeds {@link #DECISION} and {@link #INDEX} verbatim, and provision, track and verify run the very same text over
 * many tables, so the two sides cannot drift:
 * <ul>
 *   <li>{@code keep}: the identity already works: FULL where FULL is valid, a chosen USING INDEX whose index still
 *       exists, or DEFAULT with a primary key where FULL is invalid;</li>
 *   <li>{@code full}: FULL is valid (no VIRTUAL generated column; STORED ones are published on 18 with
 *       {@code publish_generated_columns = stored}) and the table is not FULL yet;</li>
 *   <li>{@code default}: FULL is invalid (a VIRTUAL generated column, PostgreSQL 18) and the primary key serves;</li>
 *   <li>{@code index}: FULL is invalid, there is no primary key, and {@link #INDEX} names a unique, non-partial,
 *       immediate, NOT NULL index without expressions or generated columns: USING INDEX;</li>
 *   <li>{@code refuse}: no identity can work; the table must get a key, make the column STORED, or stay unpublished.</li>
 * </ul>
 * A partitioned table (relkind p) stores no rows: where FULL is invalid and it has no primary key it is kept.
 */
final class IdentityPolicy {
    /** What the policy asks for one table. */
    enum Action { KEEP, FULL, DEFAULT, INDEX, REFUSE }

    /** A VIRTUAL generated column (18+) makes FULL invalid. attgenerated exists since 12. */
    static final String HAS_VIRTUAL = "EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS va WHERE va.attrelid = c.oid "
            + "AND va.attnum > 0 AND NOT va.attisdropped AND va.attgenerated = 'v')";

    /** The unique index USING INDEX would use, or NULL. */
    static final String INDEX = """
            (SELECT ic.relname FROM pg_catalog.pg_index AS ix
             JOIN pg_catalog.pg_class AS ic ON ic.oid = ix.indexrelid
             WHERE ix.indrelid = c.oid AND ix.indisunique AND ix.indimmediate AND ix.indisvalid AND ix.indisready
               AND ix.indpred IS NULL AND ix.indexprs IS NULL AND ix.indnatts = ix.indnkeyatts
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS ia
                               WHERE ia.attrelid = c.oid AND ia.attnum = ANY (ix.indkey::int2[])
                                 AND (NOT ia.attnotnull OR ia.attgenerated <> ''))
             ORDER BY ic.relname LIMIT 1)""";

    /** The decision: keep, full, default, index or refuse. */
    static final String DECISION = """
            CASE
              WHEN c.relreplident = 'i' AND EXISTS (SELECT 1 FROM pg_catalog.pg_index AS ri
                                                    WHERE ri.indrelid = c.oid AND ri.indisreplident) THEN 'keep'
              WHEN NOT %1$s THEN CASE WHEN c.relreplident = 'f' THEN 'keep' ELSE 'full' END
              WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_index AS pk WHERE pk.indrelid = c.oid AND pk.indisprimary)
                THEN CASE WHEN c.relreplident = 'd' THEN 'keep' ELSE 'default' END
              WHEN c.relkind = 'p' THEN 'keep'
              WHEN %2$s IS NOT NULL THEN 'index'
              ELSE 'refuse'
            END""".formatted(HAS_VIRTUAL, INDEX);

    /**
     * Whether the table's present identity lets a published table accept UPDATE and DELETE, read from the catalog:
     * FULL without a VIRTUAL generated column, DEFAULT with a primary key, or USING INDEX with its index. (STORED
     * generated columns under a publication that does not publish them escape this test; EXPLAIN catches them.)
     */
    static final String WORKS = """
            CASE c.relreplident
              WHEN 'f' THEN NOT %1$s
              WHEN 'd' THEN EXISTS (SELECT 1 FROM pg_catalog.pg_index AS wp WHERE wp.indrelid = c.oid AND wp.indisprimary)
              WHEN 'i' THEN EXISTS (SELECT 1 FROM pg_catalog.pg_index AS wi WHERE wi.indrelid = c.oid AND wi.indisreplident)
              ELSE false
            END""".formatted(HAS_VIRTUAL);

    /** Why a refused table cannot be published safely, and the ways out. */
    static final String REFUSAL = "has a VIRTUAL generated column, which makes REPLICA IDENTITY FULL invalid, and no "
            + "primary key or unique NOT NULL index to use instead, so UPDATE and DELETE on it would fail once it is "
            + "published. Add a primary key, make the generated column STORED, or use SELECTED_TABLES without it";

    private IdentityPolicy() {
    }

    /** One table's decision. {@code index} is set for INDEX, and for KEEP of a USING INDEX identity. */
    record Decision(long oid, TableName table, char kind, char current, Action action, String index, String owner,
                    boolean adminCanAlter) {
        /** Whether old rows carry only the key (FULL is not what the table will have). */
        boolean keyOnly() {
            return switch (action) {
                case DEFAULT, INDEX -> true;
                case KEEP -> current != 'f';
                default -> false;
            };
        }

        IdentityChange change() {
            return switch (action) {
                case FULL -> new IdentityChange(table, "FULL");
                case DEFAULT -> new IdentityChange(table, "DEFAULT");
                case INDEX -> new IdentityChange(table, "USING INDEX " + Identifiers.quote(index));
                default -> null;
            };
        }

        String describeIdentity() {
            return switch (current) {
                case 'f' -> "FULL";
                case 'i' -> "USING INDEX";
                case 'n' -> "NOTHING";
                default -> "DEFAULT (primary key)";
            };
        }
    }

    /** A replica identity to set on one table: FULL, DEFAULT or USING INDEX "name". */
    public record IdentityChange(TableName table, String identity) {
        String alterStatement() {
            return "ALTER TABLE " + table.quoted() + " REPLICA IDENTITY " + identity;
        }

        Change change() {
            return new Change("set REPLICA IDENTITY " + identity + " on", table.toString());
        }
    }

    private static final String COLUMNS = """
            SELECT c.oid, n.nspname, c.relname, c.relkind, c.relreplident, (%s), (%s),
                   pg_catalog.pg_get_userbyid(c.relowner), pg_catalog.pg_has_role(c.relowner, 'USAGE')
            FROM pg_catalog.pg_class AS c
            JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
            WHERE c.oid = ANY (?::oid[]) AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
            ORDER BY n.nspname, c.relname
            """.formatted(DECISION, "CASE WHEN c.relreplident = 'i' THEN (SELECT ri.indexrelid::regclass::text "
            + "FROM pg_catalog.pg_index AS ri WHERE ri.indrelid = c.oid AND ri.indisreplident) ELSE " + INDEX + " END");

    /** The decisions for the given tables (by oid); tables dropped meanwhile are absent. */
    static List<Decision> decide(Connection connection, List<Long> oids) {
        return Sql.on(connection, "deciding the replica identity of " + oids.size() + " table(s)").query(COLUMNS,
                row -> new Decision(row.getLong(1), new TableName(row.getString(2), row.getString(3)),
                        row.getString(4).charAt(0), row.getString(5).charAt(0),
                        Action.valueOf(row.getString(6).toUpperCase(java.util.Locale.ROOT)), row.getString(7),
                        row.getString(8), row.getBoolean(9)), (Object) oids.toArray(Long[]::new));
    }

    /** Refuses, before any change, when a table has no workable identity. */
    static void requireWorkable(List<Decision> decisions) {
        List<TableName> refused = decisions.stream().filter(d -> d.action() == Action.REFUSE)
                .map(Decision::table).toList();
        if (!refused.isEmpty()) {
            throw new ConflictingStateException("cannot track " + Provisioner.abbreviate(refused) + ": "
                    + (refused.size() == 1 ? "it " : "each ") + REFUSAL + ". Nothing was changed.");
        }
    }

    /** A note naming the tables whose old rows carry the key only. */
    static java.util.Optional<String> keyOnlyNote(List<Decision> decisions) {
        List<TableName> keyOnly = decisions.stream().filter(d -> d.kind() == 'r' && d.keyOnly())
                .map(Decision::table).toList();
        if (keyOnly.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("old rows of " + keyOnly.size() + " table(s) carry the key only (REPLICA "
                + "IDENTITY FULL is invalid there, e.g. a VIRTUAL generated column, or a chosen USING INDEX is kept): "
                + Provisioner.abbreviate(keyOnly));
    }
}
