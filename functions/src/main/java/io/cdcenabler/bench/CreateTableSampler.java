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
 * Times single CREATE TABLE statements, each in its own autocommit transaction, in several databases that differ
 * only in their event trigger. The samples are taken in rounds; every round runs every variant in turn, starting
 * with a different one each round, so drift on a busy machine (other processes, checkpoints) is shared by all.
 * Every round opens a new connection per variant: one server process can be a quarter faster or slower than another
 * for the same work (measured on 2 cores), so each variant's samples are spread over as many processes as rounds.
 * Each new table is dropped, untimed, right after it was created, so the number of existing tables stays fixed.
 */
final class CreateTableSampler {
    private static final String TABLE_PREFIX = "bench_probe_";
    /** Untimed statements on each new connection, which fill its catalog caches. */
    private static final int CONNECTION_WARMUP = 3;

    /** One database to sample, and the replica identity its trigger gives a new table ({@code d} when none). */
    record Variant(String label, Supplier<Connection> connections, String expectedIdentity) {
    }

    private final List<Variant> variants;
    private int nextTable;

    CreateTableSampler(List<Variant> variants) {
        this.variants = List.copyOf(variants);
    }

    /**
     * Warms every variant up, checks that its trigger really sets the expected replica identity on a new table,
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
            throw new BenchmarkException("timing CREATE TABLE: " + e.getMessage(), e);
        }
        return results;
    }

    private Duration createAndDrop(Connection connection) throws SQLException {
        String table = "public." + Identifiers.quote(TABLE_PREFIX + nextTable++);
        try (Statement statement = connection.createStatement()) {
            long start = System.nanoTime();
            statement.executeUpdate("CREATE TABLE " + table + " (id int, v text)");
            long elapsed = System.nanoTime() - start;
            statement.executeUpdate("DROP TABLE " + table);
            return Duration.ofNanos(elapsed);
        }
    }

    private void requireExpectedIdentity(Variant variant, Connection connection) throws SQLException {
        String table = TABLE_PREFIX + "check_" + nextTable++;
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE public." + Identifiers.quote(table) + " (id int, v text)");
            String identity = BenchmarkDatabases.replicaIdentity(connection, table);
            statement.executeUpdate("DROP TABLE public." + Identifiers.quote(table));
            if (!variant.expectedIdentity().equals(identity)) {
                throw new BenchmarkException("with " + variant.label() + ", a new table got replica identity '"
                        + identity + "' instead of '" + variant.expectedIdentity()
                        + "': the trigger does not do its job, so its timing would mean nothing");
            }
        }
    }
}
