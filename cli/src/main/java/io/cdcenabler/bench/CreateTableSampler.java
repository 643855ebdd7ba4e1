package io.cdcenabler.bench;

import io.cdcenabler.postgres.Identifiers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Times single DDL statements ({@link Probe}), each in its own autocommit transaction, in several databases that
 * differ only in their event trigger. The samples are taken in rounds; every round runs every variant in turn,
 * starting with a different one each round, so drift on a busy machine (other processes, checkpoints) is shared by
 * all. Every round opens a new connection per variant: one server process can be a quarter faster or slower than
 * another for the same work (measured on 2 cores), so each variant's samples are spread over as many processes as
 * rounds. Each new table is dropped, untimed, right after it was measured, so the number of existing tables stays
 * fixed.
 */
final class CreateTableSampler {
    private static final String TABLE_PREFIX = "bench_probe_";
    /** Untimed statements on each new connection, which fill its catalog caches. */
    private static final int CONNECTION_WARMUP = 3;

    /** One database to sample, and the replica identity the probed table has afterwards ({@code d} when none). */
    record Variant(String label, Supplier<Connection> connections, String expectedIdentity) {
    }

    /** The timed statement. */
    enum Probe {
        /** {@code CREATE TABLE public.p (id int, v text)}. */
        CREATE_TABLE("CREATE TABLE"),
        /**
         * {@code ALTER TABLE public.p ADD COLUMN extra int} on a tracked table: created and set to REPLICA IDENTITY
         * FULL (published by the FOR ALL TABLES publication) untimed, just before.
         */
        ADD_COLUMN("ALTER TABLE ... ADD COLUMN");

        private final String label;

        Probe(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }
    }

    private final List<Variant> variants;
    private final Probe probe;
    private int nextTable;

    CreateTableSampler(List<Variant> variants) {
        this(variants, Probe.CREATE_TABLE);
    }

    CreateTableSampler(List<Variant> variants, Probe probe) {
        this.variants = List.copyOf(variants);
        this.probe = probe;
    }

    /**
     * Warms every variant up, checks that the probed table really ends with the expected replica identity,
     * then takes {@code samples} timed samples of each, in {@code rounds} rounds; the result is in variant order.
     */
    List<List<Duration>> sample(int warmup, int samples, int rounds) {
        List<List<Duration>> results = new ArrayList<>();
        variants.forEach(variant -> results.add(new ArrayList<>()));
        try {
            for (Variant variant : variants) {
                try (Connection connection = variant.connections().get()) {
                    connection.setAutoCommit(true);
                    for (int i = 0; i < warmup; i++) {
                        createAndDrop(connection);
                    }
                    requireExpectedIdentity(variant, connection);
                }
            }
            for (int round = 0; round < rounds; round++) {
                int inRound = samples / rounds + (round < samples % rounds ? 1 : 0);
                for (int turn = 0; turn < variants.size(); turn++) {
                    int index = (round + turn) % variants.size();
                    try (Connection connection = variants.get(index).connections().get()) {
                        connection.setAutoCommit(true);
                        for (int i = 0; i < CONNECTION_WARMUP; i++) {
                            createAndDrop(connection);
                        }
                        for (int i = 0; i < inRound; i++) {
                            results.get(index).add(createAndDrop(connection));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new BenchmarkException("timing " + probe.label() + ": " + e.getMessage(), e);
        }
        return results;
    }

    private Duration createAndDrop(Connection connection) throws SQLException {
        return measureAndDrop(connection, TABLE_PREFIX + nextTable++, false).elapsed();
    }

    private record Measured(Duration elapsed, String identity) {
    }

    private Measured measureAndDrop(Connection connection, String name, boolean readIdentity) throws SQLException {
        String table = "public." + Identifiers.quote(name);
        String create = "CREATE TABLE " + table + " (id int, v text)";
        try (Statement statement = connection.createStatement()) {
            long elapsed;
            if (probe == Probe.CREATE_TABLE) {
                long start = System.nanoTime();
                statement.executeUpdate(create);
                elapsed = System.nanoTime() - start;
            } else {
                statement.executeUpdate(create);
                statement.executeUpdate("ALTER TABLE " + table + " REPLICA IDENTITY FULL");
                long start = System.nanoTime();
                statement.executeUpdate("ALTER TABLE " + table + " ADD COLUMN extra int");
                elapsed = System.nanoTime() - start;
            }
            String identity = readIdentity ? BenchmarkDatabases.replicaIdentity(connection, name) : null;
            statement.executeUpdate("DROP TABLE " + table);
            return new Measured(Duration.ofNanos(elapsed), identity);
        }
    }

    private void requireExpectedIdentity(Variant variant, Connection connection) throws SQLException {
        String identity = measureAndDrop(connection, TABLE_PREFIX + "check_" + nextTable++, true).identity();
        if (!variant.expectedIdentity().equals(identity)) {
            throw new BenchmarkException("with " + variant.label() + ", the table of " + probe.label()
                    + " ended with replica identity '" + identity + "' instead of '" + variant.expectedIdentity()
                    + "': the trigger does not do its job, so its timing would mean nothing");
        }
    }
}
