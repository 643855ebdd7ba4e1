package io.cdcenabler.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cdcenabler.bench.BenchmarkReport.BaselinePass;
import io.cdcenabler.bench.BenchmarkReport.BaselineRun;
import io.cdcenabler.bench.BenchmarkReport.OursPass;
import io.cdcenabler.bench.BenchmarkReport.OursRun;
import io.cdcenabler.bench.BenchmarkReport.StatementCost;
import io.cdcenabler.bench.BenchmarkReport.TableCountResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs the benchmark at tiny table counts and checks the shape and consistency of its figures, never their values. */
class ReplicaIdentityBenchmarkTest {
    private static final int SAMPLES = 6;

    @Test
    void run_withTinyTableCounts_reportsEveryFigureAndLeavesEveryTableFull() {
        BenchmarkOptions options = BenchmarkOptions.builder().tableCounts(List.of(200, 50))
                .createTableSamples(SAMPLES).warmupSamples(2).rounds(2).passRepetitions(2).build();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        BenchmarkReport report = ReplicaIdentityBenchmark.run(options,
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(report.serverSettings()).containsEntry("max_locks_per_transaction", "64")
                .containsEntry("max_connections", "100");
        assertThat(report.elapsed()).isPositive();
        assertThat(report.results()).extracting(TableCountResult::tables).containsExactly(50, 200);
        for (TableCountResult result : report.results()) {
            int tables = result.tables();
            assertThat(result.tableCreation()).isPositive();

            BaselinePass baseline = result.baselinePass().orElseThrow();
            assertThat(baseline.completed()).isTrue();
            assertThat(baseline.runs()).hasSize(2).allSatisfy(run -> {
                assertThat(run.elapsed()).isPositive();
                assertThat(run.fullTablesAfter()).isEqualTo(tables);
            });
            assertThat(baseline.medianElapsed()).isEqualTo(
                    baseline.runs().get(0).elapsed().plus(baseline.runs().get(1).elapsed()).dividedBy(2));

            OursPass ours = result.oursPass();
            assertThat(ours.runs()).hasSize(2).allSatisfy(run -> {
                assertThat(run.provision()).isPositive();
                assertThat(run.rerun()).isPositive();
                assertThat(run.fullTablesAfter()).isEqualTo(tables);
            });
            assertThat(result.provisionToBaselineRatio()).hasValueCloseTo(
                    seconds(ours.medianProvision()) / seconds(baseline.medianElapsed()), within(1e-9));

            List<StatementCost> costs = List.of(result.noTrigger(), result.minimalTrigger(),
                    result.runbookTrigger().orElseThrow(), result.oursTrigger(), result.addColumnNoTrigger(),
                    result.addColumnOurs());
            for (StatementCost cost : costs) {
                assertThat(cost.samples()).hasSize(SAMPLES).allSatisfy(sample -> assertThat(sample).isPositive());
            }
            assertThat(result.oursToMinimalRatio()).isCloseTo(
                    seconds(result.oursTrigger().median()) / seconds(result.minimalTrigger().median()),
                    within(1e-9));
            assertThat(result.meetsTarget()).isEqualTo(result.oursToMinimalRatio() <= 1.05);
            assertThat(result.oursBeyondMinimal())
                    .isEqualTo(result.oursTrigger().median().minus(result.minimalTrigger().median()));
            assertThat(result.minimalOverhead())
                    .isEqualTo(result.minimalTrigger().median().minus(result.noTrigger().median()));
            assertThat(result.addColumnRatio()).isCloseTo(
                    seconds(result.addColumnOurs().median()) / seconds(result.addColumnNoTrigger().median()),
                    within(1e-9));
        }
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("N=50 ", "N=200 ", "baseline pass 2/2", "ours pass 2/2", "timing CREATE TABLE",
                        "timing ALTER TABLE ... ADD COLUMN", "the minimal trigger", "ours / minimal (target 1.05x)",
                        "Total run time")
                .containsPattern("ours/minimal \\d+\\.\\d{3}x (PASS|FAIL) \\([+-]\\d+ us beyond minimal\\)");
    }

    @Test
    void run_withoutBaseline_leavesTheBaselineFiguresEmptyAndStillComparesWithTheMinimalTrigger() {
        BenchmarkOptions options = BenchmarkOptions.builder().tableCounts(List.of(20)).createTableSamples(2)
                .warmupSamples(0).rounds(1).passRepetitions(1).includeBaseline(false).build();

        BenchmarkReport report = ReplicaIdentityBenchmark.run(options,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        TableCountResult result = report.results().get(0);
        assertThat(result.baselinePass()).isEmpty();
        assertThat(result.runbookTrigger()).isEmpty();
        assertThat(result.provisionToBaselineRatio()).isEmpty();
        assertThat(result.oursPass().runs()).extracting(OursRun::fullTablesAfter).containsExactly(20);
        assertThat(result.minimalTrigger().samples()).hasSize(2);
        assertThat(result.oursTrigger().samples()).hasSize(2);
        assertThat(result.addColumnOurs().samples()).hasSize(2);
    }

    @Test
    void verdict_comparesOursWithTheMinimalTriggerAgainstTheTarget() {
        StatementCost none = cost(1_000);
        StatementCost minimal = cost(1_200);

        TableCountResult within = result(none, minimal, cost(1_260));
        TableCountResult beyond = result(none, minimal, cost(1_300));

        assertThat(within.oursToMinimalRatio()).isCloseTo(1.05, within(1e-9));
        assertThat(within.meetsTarget()).isTrue();
        assertThat(BenchmarkPrinter.verdict(within)).isEqualTo("1.050x PASS (+60 us beyond minimal)");
        assertThat(beyond.meetsTarget()).isFalse();
        assertThat(BenchmarkPrinter.verdict(beyond)).isEqualTo("1.083x FAIL (+100 us beyond minimal)");
        assertThat(beyond.minimalOverhead()).isEqualTo(Duration.ofMillis(200).dividedBy(1_000));
    }

    @Test
    void options_whenInvalid_nameTheField() {
        assertThatThrownBy(() -> BenchmarkOptions.builder().tableCounts(List.of()).build())
                .isInstanceOf(BenchmarkException.class).hasMessageContaining("tableCounts");
        assertThatThrownBy(() -> BenchmarkOptions.builder().tableCounts(List.of(0)).build())
                .isInstanceOf(BenchmarkException.class).hasMessageContaining("tableCounts");
        assertThatThrownBy(() -> BenchmarkOptions.builder().createTableSamples(5).rounds(6).build())
                .isInstanceOf(BenchmarkException.class).hasMessageContaining("rounds");
        assertThatThrownBy(() -> BenchmarkOptions.builder().passRepetitions(0).build())
                .isInstanceOf(BenchmarkException.class).hasMessageContaining("passRepetitions");
    }

    @Test
    void options_defaults_includeTheIssuesTwentyThousandTables() {
        BenchmarkOptions defaults = BenchmarkOptions.defaults();

        assertThat(defaults.tableCounts()).containsExactly(1_000, 5_000, 20_000);
        assertThat(defaults.createTableSamples()).isEqualTo(200);
        assertThat(defaults.includeBaseline()).isTrue();
    }

    @Test
    void medianAndPassPart_areComputedFromTheRuns() {
        BaselinePass baseline = new BaselinePass(List.of(
                new BaselineRun(Duration.ofMillis(30), Optional.empty(), 5),
                new BaselineRun(Duration.ofMillis(10), Optional.of("out of shared memory"), 0),
                new BaselineRun(Duration.ofMillis(20), Optional.empty(), 5)));
        OursRun ours = new OursRun(Duration.ofMillis(50), Duration.ofMillis(20), Optional.empty(), 5);

        assertThat(baseline.medianElapsed()).isEqualTo(Duration.ofMillis(20));
        assertThat(baseline.completed()).isFalse();
        assertThat(baseline.failure()).contains("out of shared memory");
        assertThat(ours.passPart()).isEqualTo(Duration.ofMillis(30));
    }

    @Test
    void batchClock_withSeveralBatches_scalesTheTimeAfterTheFirstToAllTables() throws InterruptedException {
        BatchClock clock = new BatchClock();

        clock.progress("REPLICA IDENTITY FULL", 500, 1_200);
        Thread.sleep(20);
        clock.progress("REPLICA IDENTITY FULL", 1_000, 1_200);
        Thread.sleep(10);
        clock.progress("REPLICA IDENTITY FULL", 1_200, 1_200);
        clock.progress("REPLICA IDENTITY FULL", 3, 3);

        Duration estimate = clock.estimate().orElseThrow();
        assertThat(estimate).isGreaterThanOrEqualTo(Duration.ofMillis(30 * 1_200 / 700));
        assertThat(new BatchClock().estimate()).isEmpty();
    }

    private static StatementCost cost(long micros) {
        return new StatementCost(List.of(Duration.ofNanos(micros * 1_000)));
    }

    private static TableCountResult result(StatementCost none, StatementCost minimal, StatementCost ours) {
        OursPass pass = new OursPass(List.of(new OursRun(Duration.ofMillis(2), Duration.ofMillis(1), Optional.empty(),
                1)));
        return new TableCountResult(1, Duration.ofMillis(1), Optional.empty(), pass, none, minimal, Optional.empty(),
                ours, none, ours);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
