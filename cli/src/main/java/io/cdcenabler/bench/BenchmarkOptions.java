package io.cdcenabler.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What the replica-identity benchmark measures: at which table counts, how many CREATE TABLE samples per variant
 * (spread over interleaved rounds after a warm-up), how often each initial pass is repeated on a fresh copy of the
 * database, and whether the runbook baseline runs at all. Validated on construction.
 *
 * @param tableCounts the numbers of existing tables to measure at, ascending (default 1,000, 5,000, 20,000)
 * @param createTableSamples timed statements (CREATE TABLE, and ADD COLUMN) per variant and table count (default 200)
 * @param warmupSamples untimed CREATE TABLE statements per variant before the timed ones (default 20)
 * @param rounds the timed samples are split into this many rounds, each running every variant in turn, in an order
 *               that rotates from round to round, on a new connection per variant and round, so drift on a busy
 *               machine and differences between server processes hit all variants alike (default 20)
 * @param passRepetitions initial passes per variant and table count, each on a fresh database; the median is
 *                        reported (default 5)
 * @param includeBaseline whether to run the runbook's pass and trigger next to ours (default true)
 * @param fsync whether the server flushes commits to disk (PostgreSQL's default, and always so on RDS); off by
 *              default, as for every embedded server here: CREATE TABLE is then faster and less noisy, so the
 *              triggers' ratios are upper bounds of what durable commits would show
 */
public record BenchmarkOptions(List<Integer> tableCounts, int createTableSamples, int warmupSamples, int rounds,
                               int passRepetitions, boolean includeBaseline, boolean fsync) {

    public static final List<Integer> DEFAULT_TABLE_COUNTS = List.of(1_000, 5_000, 20_000);
    public static final int DEFAULT_CREATE_TABLE_SAMPLES = 200;
    public static final int DEFAULT_WARMUP_SAMPLES = 20;
    public static final int DEFAULT_ROUNDS = 20;
    public static final int DEFAULT_PASS_REPETITIONS = 5;
    /** More tables than this take too long to create for a benchmark that should finish in minutes. */
    public static final int MAX_TABLE_COUNT = 100_000;

    public BenchmarkOptions {
        if (tableCounts == null || tableCounts.isEmpty()) {
            throw new BenchmarkException("tableCounts must name at least one table count, was " + tableCounts);
        }
        for (Integer count : tableCounts) {
            if (count == null || count < 1 || count > MAX_TABLE_COUNT) {
                throw new BenchmarkException("tableCounts must be between 1 and " + MAX_TABLE_COUNT + ", was "
                        + tableCounts);
            }
        }
        tableCounts = List.copyOf(new TreeSet<>(tableCounts));
        if (createTableSamples < 1 || createTableSamples > 100_000) {
            throw new BenchmarkException("createTableSamples must be between 1 and 100000, was " + createTableSamples);
        }
        if (warmupSamples < 0 || warmupSamples > 10_000) {
            throw new BenchmarkException("warmupSamples must be between 0 and 10000, was " + warmupSamples);
        }
        if (rounds < 1 || rounds > createTableSamples) {
            throw new BenchmarkException("rounds must be between 1 and createTableSamples (" + createTableSamples
                    + "), was " + rounds);
        }
        if (passRepetitions < 1 || passRepetitions > 20) {
            throw new BenchmarkException("passRepetitions must be between 1 and 20, was " + passRepetitions);
        }
    }

    /** 1,000, 5,000 and 20,000 tables, 200 CREATE TABLE samples in 20 rounds, 5 passes, with the baseline. */
    public static BenchmarkOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts from {@link #defaults()}; {@link #build()} validates. */
    public static final class Builder {
        private final List<Integer> tableCounts = new ArrayList<>(DEFAULT_TABLE_COUNTS);
        private int createTableSamples = DEFAULT_CREATE_TABLE_SAMPLES;
        private int warmupSamples = DEFAULT_WARMUP_SAMPLES;
        private int rounds = DEFAULT_ROUNDS;
        private int passRepetitions = DEFAULT_PASS_REPETITIONS;
        private boolean includeBaseline = true;
        private boolean fsync;

        private Builder() {
        }

        public Builder tableCounts(List<Integer> counts) {
            tableCounts.clear();
            if (counts != null) {
                tableCounts.addAll(counts);
            }
            return this;
        }

        public Builder createTableSamples(int samples) {
            this.createTableSamples = samples;
            return this;
        }

        public Builder warmupSamples(int samples) {
            this.warmupSamples = samples;
            return this;
        }

        public Builder rounds(int count) {
            this.rounds = count;
            return this;
        }

        public Builder passRepetitions(int count) {
            this.passRepetitions = count;
            return this;
        }

        public Builder includeBaseline(boolean include) {
            this.includeBaseline = include;
            return this;
        }

        public Builder fsync(boolean on) {
            this.fsync = on;
            return this;
        }

        public BenchmarkOptions build() {
            return new BenchmarkOptions(tableCounts, createTableSamples, warmupSamples, rounds, passRepetitions,
                    includeBaseline, fsync);
        }
    }
}
