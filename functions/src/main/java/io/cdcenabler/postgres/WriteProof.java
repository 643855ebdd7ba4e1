package io.cdcenabler.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Proves, without touching a row, that the application's UPDATE and DELETE are accepted on every published table:
 * {@code EXPLAIN UPDATE t SET c = c WHERE false} and {@code EXPLAIN DELETE FROM t WHERE false} run the executor's
 * start-up, which raises exactly the replica-identity error the application would get. Each batch of tables runs in
 * one round trip, in a transaction that is rolled back, under the lock timeout (an EXPLAIN takes RowExclusiveLock on
 * the table and its indexes, so a batch holds at most a few hundred locks). A failing batch is re-run table by table
 * to name every failing table.
 */
final class WriteProof {
    static final int BATCH = 50;

    /**
     * The outcome: tables whose UPDATE or DELETE fails (with the server's message), tables that stayed locked, and
     * tables the admin may not UPDATE or DELETE (so no EXPLAIN could run) whose identity the catalog shows working.
     */
    record Result(int checked, List<String> failures, List<TableName> locked, List<TableName> fromCatalog) {
        boolean holds() {
            return failures.isEmpty();
        }
    }

    private record Probe(TableName table, List<String> statements, boolean allowed, boolean identityWorks) {
    }

    private WriteProof() {
    }

    /**
     * The leaf tables that some publication publishing UPDATE or DELETE covers: FOR ALL TABLES, FOR TABLE (also
     * through an ancestor) and, on 15+, FOR TABLES IN SCHEMA (of the table or an ancestor).
     */
    static String publishedCondition(int major) {
        String byTable = """
                EXISTS (SELECT 1 FROM pg_catalog.pg_publication_rel AS pr
                        JOIN pg_catalog.pg_publication AS pp ON pp.oid = pr.prpubid
                        WHERE (pp.pubupdate OR pp.pubdelete)
                          AND (pr.prrelid = c.oid OR (c.relispartition AND pr.prrelid IN (
                                 SELECT anc.relid FROM pg_catalog.pg_partition_ancestors(c.oid) AS anc))))""";
        String bySchema = major < 15 ? "false" : """
                EXISTS (SELECT 1 FROM pg_catalog.pg_publication_namespace AS pn
                        JOIN pg_catalog.pg_publication AS ps ON ps.oid = pn.pnpubid
                        WHERE (ps.pubupdate OR ps.pubdelete)
                          AND (pn.pnnspid = c.relnamespace OR (c.relispartition AND pn.pnnspid IN (
                                 SELECT sc.relnamespace FROM pg_catalog.pg_partition_ancestors(c.oid) AS sanc
                                 JOIN pg_catalog.pg_class AS sc ON sc.oid = sanc.relid))))""";
        return "(EXISTS (SELECT 1 FROM pg_catalog.pg_publication AS pa WHERE pa.puballtables "
                + "AND (pa.pubupdate OR pa.pubdelete)) OR " + byTable + " OR " + bySchema + ")";
    }

    /** What the EXPLAINs found: failing tables with the server's message, and tables that stayed locked. */
    private record Findings(List<String> failures, List<TableName> locked) {
    }

    /** Runs the proof over every published table. */
    static Result run(Connection connection, int major, LockPolicy policy) {
        List<Probe> probes = publishedTables(connection, major);
        Findings findings = new Findings(new ArrayList<>(), new ArrayList<>());
        List<TableName> fromCatalog = new ArrayList<>();
        // EXPLAIN needs the privileges the application's statement needs: where the admin lacks them (a table of
        // another role on RDS, where rds_superuser is no superuser), the policy's catalog decision stands in.
        for (Probe probe : probes.stream().filter(p -> !p.allowed()).toList()) {
            if (probe.identityWorks()) {
                fromCatalog.add(probe.table());
            } else {
                findings.failures().add(probe.table() + ": no working replica identity (read from the catalog: the "
                        + "admin may not UPDATE or DELETE this table, so no EXPLAIN could prove it)");
            }
        }
        explain(connection, policy, probes.stream().filter(Probe::allowed).toList(), findings);
        return new Result(probes.size(), findings.failures(), findings.locked(), fromCatalog);
    }

    private static List<Probe> publishedTables(Connection connection, int major) {
        return Sql.on(connection, "listing published tables").query("""
                SELECT n.nspname, c.relname,
                       (SELECT a.attname FROM pg_catalog.pg_attribute AS a
                        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
                        ORDER BY a.attnum LIMIT 1),
                       pg_catalog.has_table_privilege(c.oid, 'SELECT')
                         AND pg_catalog.has_table_privilege(c.oid, 'UPDATE')
                         AND pg_catalog.has_table_privilege(c.oid, 'DELETE'),
                       (%s)
                FROM pg_catalog.pg_class AS c
                JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND c.relpersistence = 'p'
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
                  AND %s
                ORDER BY 1, 2
                """.formatted(IdentityPolicy.WORKS, publishedCondition(major)), row -> probe(
                new TableName(row.getString(1), row.getString(2)), row.getString(3), row.getBoolean(4),
                row.getBoolean(5)));
    }

    /** EXPLAINs the probes in batches, re-running a failing batch table by table. */
    private static void explain(Connection connection, LockPolicy policy, List<Probe> probes, Findings findings) {
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                for (int from = 0; from < probes.size(); from += BATCH) {
                    List<Probe> batch = probes.subList(from, Math.min(probes.size(), from + BATCH));
                    if (!runBatch(connection, policy, batch)) {
                        for (Probe probe : batch) {
                            runOne(connection, policy, probe, findings);
                        }
                    }
                }
            } finally {
                Sql.rollbackQuietly(connection);
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("proving that published tables accept UPDATE and DELETE", e);
        }
    }

    private static Probe probe(TableName table, String column, boolean allowed, boolean identityWorks) {
        List<String> statements = new ArrayList<>();
        if (column != null) {
            String quoted = Identifiers.quote(column);
            statements.add("EXPLAIN UPDATE " + table.quoted() + " SET " + quoted + " = " + quoted + " WHERE false");
        }
        statements.add("EXPLAIN DELETE FROM " + table.quoted() + " WHERE false");
        return new Probe(table, statements, allowed, identityWorks);
    }

    private static boolean runBatch(Connection connection, LockPolicy policy, List<Probe> batch) {
        List<String> all = new ArrayList<>();
        all.add("SET LOCAL lock_timeout = '" + policy.lockTimeoutSetting() + "'");
        batch.forEach(probe -> all.addAll(probe.statements()));
        try (Statement statement = connection.createStatement()) {
            statement.execute(String.join(";\n", all));
            return true;
        } catch (SQLException e) {
            return false;
        } finally {
            Sql.rollbackQuietly(connection);
        }
    }

    private static void runOne(Connection connection, LockPolicy policy, Probe probe, Findings findings) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeoutSetting() + "'");
            for (String sql : probe.statements()) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            if (Sql.isLockConflict(e)) {
                findings.locked().add(probe.table());
            } else if (!Sql.UNDEFINED_TABLE.equals(e.getSQLState())) {
                String message = e.getMessage().replaceFirst("^ERROR: ", "");
                if (e instanceof org.postgresql.util.PSQLException pe && pe.getServerErrorMessage() != null) {
                    String detail = pe.getServerErrorMessage().getDetail();
                    message = pe.getServerErrorMessage().getMessage() + (detail == null ? "" : " (" + detail + ")");
                }
                findings.failures().add(probe.table() + ": " + message);
            }
        } finally {
            Sql.rollbackQuietly(connection);
        }
    }

    /** A one-line summary of the failures, naming the tables. */
    static String describe(Result result) {
        int shown = Math.min(result.failures().size(), 10);
        String list = String.join("; ", result.failures().subList(0, shown));
        return result.failures().size() + " published table(s) reject the application's UPDATE or DELETE: " + list
                + (result.failures().size() > shown ? " and " + (result.failures().size() - shown) + " more" : "");
    }
}
