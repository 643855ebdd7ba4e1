package io.cdcenabler.bench;

import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import io.cdcenabler.postgres.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The databases of a benchmark run on one server: a template per table count holding N small tables, and copies of
 * it (CREATE DATABASE ... TEMPLATE), so that every measured pass starts from the same catalog with every table at
 * REPLICA IDENTITY DEFAULT.
 */
final class BenchmarkDatabases implements AutoCloseable {
    /** Tables created per transaction while filling a template. */
    private static final int CREATE_CHUNK = 1_000;
    /** Tables set FULL per committed transaction when the runbook's own pass failed. */
    private static final int FULL_BATCH = 500;

    private final RunningPostgres server;
    private final Connection admin;

    BenchmarkDatabases(RunningPostgres server) {
        this.server = server;
        this.admin = server.connect("postgres");
    }

    RunningPostgres server() {
        return server;
    }

    Connection connect(String database) {
        return server.connect(database);
    }

    /**
     * A database holding tables {@code public.t000001 .. public.tNNNNNN (id int, v text)}, with analyzed catalogs:
     * a copy of {@code base} (which holds the first {@code baseTables} of them) plus the rest, or, without a base, a
     * new database with all of them.
     */
    void createTemplate(String database, String base, int baseTables, int tables) {
        if (base == null) {
            execute(admin, "creating database " + database, "CREATE DATABASE " + Identifiers.quote(database));
        } else {
            copy(base, database);
        }
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (int from = (base == null ? 0 : baseTables) + 1; from <= tables; from += CREATE_CHUNK) {
                int to = Math.min(tables, from + CREATE_CHUNK - 1);
                statement.execute("""
                        DO $$
                        BEGIN
                          FOR i IN %d..%d LOOP
                            EXECUTE pg_catalog.format('CREATE TABLE public.%%I (id int, v text)',
                                                      't' || pg_catalog.lpad(i::text, 6, '0'));
                          END LOOP;
                        END
                        $$""".formatted(from, to));
            }
            vacuumCatalogs(connection);
        } catch (SQLException e) {
            throw new BenchmarkException("creating " + tables + " tables in database " + database + ": "
                    + e.getMessage(), e);
        }
    }

    /** A copy of the template; file copy where the server has it (PostgreSQL 15+), as it is faster. */
    void copy(String template, String database) {
        String strategy = server.majorVersion() >= 15 ? " STRATEGY FILE_COPY" : "";
        execute(admin, "copying database " + template + " to " + database, "CREATE DATABASE "
                + Identifiers.quote(database) + " TEMPLATE " + Identifiers.quote(template) + strategy);
    }

    void drop(String database) {
        execute(admin, "dropping database " + database,
                "DROP DATABASE IF EXISTS " + Identifiers.quote(database) + " WITH (FORCE)");
    }

    /**
     * Vacuums and analyzes the catalogs a CREATE TABLE and the passes touch, as autovacuum keeps them on a live
     * database: the planner gets statistics, and autovacuum does not start on them in the middle of a measurement.
     */
    static void vacuumCatalogs(Connection connection) {
        execute(connection, "vacuuming the catalogs", "VACUUM (ANALYZE) pg_catalog.pg_class, "
                + "pg_catalog.pg_attribute, pg_catalog.pg_type, pg_catalog.pg_depend, pg_catalog.pg_namespace");
    }

    /** Sets REPLICA IDENTITY FULL on every table of schema public, committing every {@value #FULL_BATCH} tables. */
    static void setAllFullInBatches(Connection connection) {
        execute(connection, "setting REPLICA IDENTITY FULL in batches", """
                DO $$
                DECLARE
                  target record;
                  done int := 0;
                BEGIN
                  FOR target IN
                    SELECT c.relname FROM pg_catalog.pg_class c
                    WHERE c.relnamespace = 'public'::pg_catalog.regnamespace AND c.relkind = 'r'
                      AND c.relreplident <> 'f'
                  LOOP
                    EXECUTE pg_catalog.format('ALTER TABLE public.%%I REPLICA IDENTITY FULL', target.relname);
                    done := done + 1;
                    IF done %% %d = 0 THEN
                      COMMIT;
                    END IF;
                  END LOOP;
                END
                $$""".formatted(FULL_BATCH));
    }

    /** How many ordinary tables of schema public have REPLICA IDENTITY FULL. */
    static int fullTables(Connection connection) {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("""
                     SELECT pg_catalog.count(*) FROM pg_catalog.pg_class c
                     WHERE c.relnamespace = 'public'::pg_catalog.regnamespace AND c.relkind = 'r'
                       AND c.relreplident = 'f'
                     """)) {
            rows.next();
            return rows.getInt(1);
        } catch (SQLException e) {
            throw new BenchmarkException("counting tables with REPLICA IDENTITY FULL: " + e.getMessage(), e);
        }
    }

    /** A table's replica identity: {@code d}efault, {@code f}ull, {@code n}othing or {@code i}ndex. */
    static String replicaIdentity(Connection connection, String table) {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT c.relreplident FROM pg_catalog.pg_class c
                WHERE c.relnamespace = 'public'::pg_catalog.regnamespace AND c.relname = ?
                """)) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new BenchmarkException("table public." + table + " does not exist");
                }
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw new BenchmarkException("reading the replica identity of public." + table + ": " + e.getMessage(), e);
        }
    }

    static void execute(Connection connection, String doing, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new BenchmarkException(doing + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            admin.close();
        } catch (SQLException e) {
            throw new BenchmarkException("closing the admin connection: " + e.getMessage(), e);
        }
    }
}
