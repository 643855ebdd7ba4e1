package io.cdcenabler.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cdcenabler.bench.BenchmarkReport.BaselinePass;
import io.cdcenabler.bench.BenchmarkReport.BaselineRun;
import io.cdcenabler.bench.BenchmarkReport.CreateTableCost;
import io.cdcenabler.bench.BenchmarkReport.OursPass;
import io.cdcenabler.bench.BenchmarkReport.OursRun;
import io.cdcenabler.bench.BenchmarkReport.TableCountResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Runs the benchmark at tiny table counts and checks the shape of its figures, never their values. */
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
            assertThat(baseline.failure()).isEmpty();
            assertThat(baseline.runs()).hasSize(2).allSatisfy(run -> {
                assertThat(run.elapsed()).isPositive();
                assertThat(run.fullTablesAfter()).isEqualTo(tables);
            });
            assertThat(baseline.medianElapsed()).isEqualTo(
                    baseline.runs().get(0).elapsed().plus(baseline.runs().get(1).elapsed()).dividedBy(2));

            OursPass ours = result.oursPass();
            assertThat(ours.runs()).hasSize(2).allSatisfy(run -> {
                assertThat(run.batches()).as("one batch of 500 gives no estimate").isEmpty();
                assertThat(run.provision()).isPositive();
                assertThat(run.rerun()).isPositive();
                assertThat(run.fullTablesAfter()).isEqualTo(tables);
            });
            assertThat(result.provisionToBaselineRatio()).hasValueCloseTo(
                    seconds(ours.medianProvision()) / seconds(baseline.medianElapsed()), within(1e-9));
            assertThat(result.passPartToBaselineRatio()).hasValueCloseTo(
                    seconds(ours.medianPassPart()) / seconds(baseline.medianElapsed()), within(1e-9));

            CreateTableCost none = result.noTrigger();
            CreateTableCost runbook = result.runbookTrigger().orElseThrow();
            CreateTableCost oursTrigger = result.oursTrigger();
            for (CreateTableCost cost : List.of(none, runbook, oursTrigger)) {
                assertThat(cost.samples()).hasSize(SAMPLES).allSatisfy(sample -> assertThat(sample).isPositive());
                assertThat(cost.median()).isPositive();
                assertThat(cost.mean()).isPositive();
            }
            assertThat(result.runbookTriggerRatio()).hasValueCloseTo(
                    seconds(runbook.median()) / seconds(none.median()), within(1e-9));
            assertThat(result.oursTriggerRatio()).isCloseTo(
                    seconds(oursTrigger.median()) / seconds(none.median()), within(1e-9));
        }
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("N=50 ", "N=200 ", "baseline pass 2/2", "ours pass 2/2", "Total run time");
    }

    @Test
    void run_withoutBaseline_leavesTheBaselineFiguresEmpty() {
        BenchmarkOptions options = BenchmarkOptions.builder().tableCounts(List.of(20)).createTableSamples(2)
                .warmupSamples(0).rounds(1).passRepetitions(1).includeBaseline(false).build();

        BenchmarkReport report = ReplicaIdentityBenchmark.run(options,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        TableCountResult result = report.results().get(0);
        assertThat(result.baselinePass()).isEmpty();
        assertThat(result.runbookTrigger()).isEmpty();
        assertThat(result.provisionToBaselineRatio()).isEmpty();
        assertThat(result.runbookTriggerRatio()).isEmpty();
        assertThat(result.oursPass().runs()).extracting(OursRun::fullTablesAfter).containsExactly(20);
        assertThat(result.oursTrigger().samples()).hasSize(2);
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
    void options_defaults_matchTheIssue() {
        BenchmarkOptions defaults = BenchmarkOptions.defaults();

        assertThat(defaults.tableCounts()).containsExactly(1_000, 10_000, 20_000);
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

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
