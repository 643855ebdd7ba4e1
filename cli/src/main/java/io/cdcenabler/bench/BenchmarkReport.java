package io.cdcenabler.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The figures of one benchmark run: the server it ran on, one {@link TableCountResult} per table count, and how long
 * the whole run took. Ratios are computed from the medians, so a reader can check them against the times.
 *
 * @param serverVersion PostgreSQL's {@code server_version}
 * @param serverSettings the settings that shape the figures (lock table size, fsync, ...), by name
 * @param options what was measured
 * @param results one entry per table count, ascending
 * @param elapsed the wall-clock time of the whole run, from starting the server to the last figure
 */
public record BenchmarkReport(String serverVersion, Map<String, String> serverSettings, BenchmarkOptions options,
                              List<TableCountResult> results, Duration elapsed) {

    public BenchmarkReport {
        Objects.requireNonNull(serverVersion, "serverVersion");
        serverSettings = Map.copyOf(serverSettings);
        Objects.requireNonNull(options, "options");
        results = List.copyOf(results);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** The target: a CREATE TABLE with our trigger costs at most this times one with the minimal trigger. */
    public static final double OURS_TO_MINIMAL_TARGET = 1.05;

    /**
     * Everything measured at one table count.
     *
     * @param tables the number of tables in schema public before each measurement
     * @param tableCreation how long preparing the template with these tables took (setup, not a measured figure)
     * @param baselinePass the runbook's pass; empty when the baseline was left out
     * @param oursPass provisioning with our engine
     * @param noTrigger CREATE TABLE with no event trigger
     * @param minimalTrigger CREATE TABLE with the minimal trigger (it only ALTERs the created table)
     * @param runbookTrigger CREATE TABLE with the runbook's event trigger; empty when the baseline was left out
     * @param oursTrigger CREATE TABLE with our event trigger
     * @param addColumnNoTrigger ALTER TABLE ... ADD COLUMN on a FULL, published table with no event trigger
     * @param addColumnOurs the same with our event trigger
     */
    public record TableCountResult(int tables, Duration tableCreation, Optional<BaselinePass> baselinePass,
                                   OursPass oursPass, StatementCost noTrigger, StatementCost minimalTrigger,
                                   Optional<StatementCost> runbookTrigger, StatementCost oursTrigger,
                                   StatementCost addColumnNoTrigger, StatementCost addColumnOurs) {
        public TableCountResult {
            Objects.requireNonNull(tableCreation, "tableCreation");
            Objects.requireNonNull(baselinePass, "baselinePass");
            Objects.requireNonNull(oursPass, "oursPass");
            Objects.requireNonNull(noTrigger, "noTrigger");
            Objects.requireNonNull(minimalTrigger, "minimalTrigger");
            Objects.requireNonNull(runbookTrigger, "runbookTrigger");
            Objects.requireNonNull(oursTrigger, "oursTrigger");
            Objects.requireNonNull(addColumnNoTrigger, "addColumnNoTrigger");
            Objects.requireNonNull(addColumnOurs, "addColumnOurs");
        }

        /** Median CREATE TABLE with our trigger over median CREATE TABLE with the minimal trigger. */
        public double oursToMinimalRatio() {
            return oursTrigger.medianRatioTo(minimalTrigger);
        }

        /** Whether {@link #oursToMinimalRatio()} is within {@link #OURS_TO_MINIMAL_TARGET}. */
        public boolean meetsTarget() {
            return oursToMinimalRatio() <= OURS_TO_MINIMAL_TARGET;
        }

        /** What the minimal trigger adds to a CREATE TABLE (medians; negative when lost in the noise). */
        public Duration minimalOverhead() {
            return minimalTrigger.median().minus(noTrigger.median());
        }

        /** What our trigger adds beyond the minimal one (medians; negative when lost in the noise). */
        public Duration oursBeyondMinimal() {
            return oursTrigger.median().minus(minimalTrigger.median());
        }

        /** Median ADD COLUMN with our trigger over median ADD COLUMN without a trigger. */
        public double addColumnRatio() {
            return addColumnOurs.medianRatioTo(addColumnNoTrigger);
        }

        /** Our whole provisioning run over the baseline's pass (medians); empty if the baseline failed or was off. */
        public OptionalDouble provisionToBaselineRatio() {
            return baselinePass.filter(BaselinePass::completed)
                    .map(baseline -> OptionalDouble.of(ratio(oursPass.medianProvision(), baseline.medianElapsed())))
                    .orElse(OptionalDouble.empty());
        }

        /** The pass part of our provisioning over the baseline's pass (medians); empty like the other ratio. */
        public OptionalDouble passPartToBaselineRatio() {
            return baselinePass.filter(BaselinePass::completed)
                    .map(baseline -> OptionalDouble.of(ratio(oursPass.medianPassPart(), baseline.medianElapsed())))
                    .orElse(OptionalDouble.empty());
        }
    }

    /** The runbook's one-transaction pass, once per repetition. */
    public record BaselinePass(List<BaselineRun> runs) {
        public BaselinePass {
            runs = List.copyOf(runs);
            if (runs.isEmpty()) {
                throw new BenchmarkException("runs must hold at least one run, was empty");
            }
        }

        /** Whether every run finished without an error. */
        public boolean completed() {
            return runs.stream().allMatch(run -> run.failure().isEmpty());
        }

        /** The error of the first failed run, e.g. {@code out of shared memory}. */
        public Optional<String> failure() {
            return runs.stream().flatMap(run -> run.failure().stream()).findFirst();
        }

        /** The median time, until the end or until the error. */
        public Duration medianElapsed() {
            return median(runs.stream().map(BaselineRun::elapsed).toList());
        }
    }

    /**
     * One CALL of the runbook's procedure on a fresh database.
     *
     * @param elapsed until it returned or failed
     * @param failure PostgreSQL's message if it failed (the transaction then rolled back everything)
     * @param fullTablesAfter tables of schema public with REPLICA IDENTITY FULL afterwards
     */
    public record BaselineRun(Duration elapsed, Optional<String> failure, int fullTablesAfter) {
        public BaselineRun {
            Objects.requireNonNull(elapsed, "elapsed");
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** Our provisioning, once per repetition. */
    public record OursPass(List<OursRun> runs) {
        public OursPass {
            runs = List.copyOf(runs);
            if (runs.isEmpty()) {
                throw new BenchmarkException("runs must hold at least one run, was empty");
            }
        }

        public Duration medianProvision() {
            return median(runs.stream().map(OursRun::provision).toList());
        }

        public Duration medianRerun() {
            return median(runs.stream().map(OursRun::rerun).toList());
        }

        public Duration medianPassPart() {
            return median(runs.stream().map(OursRun::passPart).toList());
        }

        /** The median of the estimated batch times; empty if a run had a single batch. */
        public Optional<Duration> medianBatches() {
            if (runs.stream().anyMatch(run -> run.batches().isEmpty())) {
                return Optional.empty();
            }
            return Optional.of(median(runs.stream().map(run -> run.batches().orElseThrow()).toList()));
        }
    }

    /**
     * One provisioning on a fresh database, followed at once by a re-run.
     *
     * @param provision the first {@code provision()}: catalog reads, a rehearsal of the setup, REPLICA IDENTITY FULL
     *                  in committed batches, the setup (publication, event trigger), and a check for late tables
     * @param rerun the second {@code provision()}, which finds everything done: the same catalog reads, no changes
     * @param batches the ALTER TABLE batches alone, estimated from the engine's progress reports: the time from the
     *                end of the first batch to the end of the last, scaled to all tables; empty with one batch only
     * @param fullTablesAfter tables of schema public with REPLICA IDENTITY FULL after the first run
     */
    public record OursRun(Duration provision, Duration rerun, Optional<Duration> batches, int fullTablesAfter) {
        public OursRun {
            Objects.requireNonNull(provision, "provision");
            Objects.requireNonNull(rerun, "rerun");
            Objects.requireNonNull(batches, "batches");
        }

        /** The part of provisioning that changes things (ALTER TABLE batches and the setup): first − re-run. */
        public Duration passPart() {
            Duration part = provision.minus(rerun);
            return part.isNegative() ? Duration.ZERO : part;
        }
    }

    /** Timed DDL statements of one kind, each in its own transaction, at a fixed number of existing tables. */
    public record StatementCost(List<Duration> samples) {
        public StatementCost {
            samples = List.copyOf(samples);
            if (samples.isEmpty()) {
                throw new BenchmarkException("samples must hold at least one sample, was empty");
            }
        }

        public Duration median() {
            return BenchmarkReport.median(samples);
        }

        public Duration mean() {
            long total = 0;
            for (Duration sample : samples) {
                total += sample.toNanos();
            }
            return Duration.ofNanos(total / samples.size());
        }

        /** This median over the other's median. */
        public double medianRatioTo(StatementCost other) {
            return ratio(median(), other.median());
        }
    }

    /** The median; for an even count, the mean of the two middle values. */
    static Duration median(List<Duration> values) {
        List<Duration> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int middle = sorted.size() / 2;
        if (sorted.size() % 2 == 1) {
            return sorted.get(middle);
        }
        return sorted.get(middle - 1).plus(sorted.get(middle)).dividedBy(2);
    }

    static double ratio(Duration numerator, Duration denominator) {
        long below = Math.max(1, denominator.toNanos());
        return (double) numerator.toNanos() / below;
    }
}
