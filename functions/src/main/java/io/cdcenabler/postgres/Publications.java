package io.cdcenabler.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ALL_TABLES publishes: {@code FOR TABLES IN SCHEMA} (PostgreSQL 15+) where the admin may create it, found out
 * by a rehearsal in a transaction that is rolled back, else {@code FOR ALL TABLES}, which publishes every schema.
 */
final class Publications {
    private static final Logger LOG = LoggerFactory.getLogger(Publications.class);

    static final String ALL_TABLES_NOTE = "the publication is FOR ALL TABLES: it publishes every table of every "
            + "schema, including schemas created later, so their rows reach the CDC tool too; the event trigger keeps "
            + "every new table of every schema write-safe";

    private Publications() {
    }

    /** Whether CREATE PUBLICATION ... FOR TABLES IN SCHEMA succeeds for this admin; nothing is kept. */
    static boolean mayCreateSchemaPublication(Connection connection, List<String> schemas) {
        for (int attempt = 1; ; attempt++) {
            try {
                return rehearseSchemaPublication(connection, schemas);
            } catch (SQLException e) {
                if (!Sql.isConcurrentDropRace(e) || attempt >= 10) {
                    throw new DatabaseException("rehearsing CREATE PUBLICATION ... FOR TABLES IN SCHEMA", e);
                }
            }
        }
    }

    /** True when allowed, false when refused for lack of privilege; other errors are thrown. */
    private static boolean rehearseSchemaPublication(Connection connection, List<String> schemas)
            throws SQLException {
        String name = "cdc_enabler_rehearsal_" + Long.toHexString(System.nanoTime());
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE PUBLICATION " + Identifiers.quote(name) + " FOR TABLES IN SCHEMA "
                    + schemas.stream().map(Identifiers::quote).collect(Collectors.joining(", ")));
            return true;
        } catch (SQLException e) {
            if (!Sql.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            LOG.info("{\"event\":\"schemaPublicationRefused\",\"sqlState\":\"{}\"}", e.getSQLState());
            return false;
        } finally {
            Sql.rollbackQuietly(connection);
            connection.setAutoCommit(autoCommit);
        }
    }

    /** FOR ALL TABLES also publishes the other schemas: refuse while a table there would then reject UPDATE. */
    static void requireOthersSafeUnderAllTables(Catalog catalog, List<String> schemas) {
        List<TableName> unsafe = catalog.tablesThatWouldRejectUpdates(schemas);
        if (!unsafe.isEmpty()) {
            throw new ConflictingStateException("a FOR ALL TABLES publication also publishes tables outside the "
                    + "tracked schemas " + String.join(", ", schemas.stream().map(Identifiers::printable).toList())
                    + ", and UPDATE/DELETE would then fail on " + unsafe.size() + " of them that have no primary key "
                    + "and no replica identity: " + Provisioner.abbreviate(unsafe) + ". Track their schemas too (add "
                    + "them to the schemas), give them a primary key or REPLICA IDENTITY FULL, or use "
                    + "SELECTED_TABLES.");
        }
    }

    /** The oids among the given tables that some publication publishing UPDATE or DELETE still covers. */
    static Set<Long> stillPublished(Connection connection, int major, List<Long> oids) {
        return new TreeSet<>(Sql.on(connection, "checking which tables other publications publish")
                .query("SELECT c.oid FROM pg_catalog.pg_class AS c WHERE c.oid = ANY (?::oid[]) AND "
                        + WriteProof.publishedCondition(major),
                row -> row.getLong(1), (Object) oids.toArray(Long[]::new)));
    }
}
