package io.cdcenabler.bench;

import io.cdcenabler.bench.BenchmarkReport.BaselinePass;
import io.cdcenabler.bench.BenchmarkReport.OursPass;
import io.cdcenabler.bench.BenchmarkReport.StatementCost;
import io.cdcenabler.bench.BenchmarkReport.TableCountResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Prints a {@link BenchmarkReport}: the initial passes, the event triggers' cost per DDL, and the verdict. */
final class BenchmarkPrinter {
    static final List<String> REPORTED_SETTINGS = List.of("max_connections", "max_locks_per_transaction",
            "max_wal_senders", "max_worker_processes", "autovacuum_max_workers", "shared_buffers", "fsync",
            "synchronous_commit");

    private BenchmarkPrinter() {
    }

    /** Prints the figures of a report as tables, one line per table count, and the total run time. */
    static void printSummary(BenchmarkReport report, PrintWriter out) {
        out.println();
        out.println("Results: PostgreSQL " + report.serverVersion() + ", " + describe(report.serverSettings()));
        printPasses(report, out);
        printCreateTable(report, out);
        printAddColumn(report, out);
        out.println();
        report.results().forEach(result -> out.println(oneLine(result)));
        out.println();
        Duration creation = report.results().stream().map(TableCountResult::tableCreation)
                .reduce(Duration.ZERO, Duration::plus);
        out.println("Total run time: " + minutesAndSeconds(report.elapsed()) + " (of which creating tables "
                + minutesAndSeconds(creation) + ")");
        out.flush();
    }

    private static void printPasses(BenchmarkReport report, PrintWriter out) {
        out.println();
        out.println("Initial REPLICA IDENTITY FULL pass on N tables, median of " + report.options().passRepetitions()
                + " run(s), each on a fresh copy of the database:");
        out.println("  baseline = the runbook's CALL _bemi_set_replica_identity() (one transaction, tables found by "
                + "name)");
        out.println("  ours     = provision() with MASTER credentials: batches under lock_timeout, publication, event "
                + "trigger;");
        out.println("             pass part = provision() minus its immediate re-run (same catalog reads, nothing "
                + "to change);");
        out.println("             ALTER batches ~ = the batches alone, from the engine's progress reports");
        String format = "  %7s  %-44s  %-9s  %-9s  %-9s  %-13s  %-13s  %s%n";
        out.printf(Locale.ROOT, format, "N", "baseline", "ours", "pass part", "re-run", "ALTER batches",
                "FULL after", "ours / baseline");
        for (TableCountResult result : report.results()) {
            OursPass ours = result.oursPass();
            String baseline = result.baselinePass().map(BenchmarkPrinter::describe).orElse("(not run)");
            String fullAfter = result.baselinePass()
                    .map(pass -> last(pass.runs()).fullTablesAfter() + " / ").orElse("")
                    + last(ours.runs()).fullTablesAfter();
            String ratio = result.provisionToBaselineRatio().isPresent()
                    ? ratio(result.provisionToBaselineRatio()) + " (pass part "
                    + ratio(result.passPartToBaselineRatio()) + ")" : "-";
            out.printf(Locale.ROOT, format, result.tables(), baseline, seconds(ours.medianProvision()),
                    seconds(ours.medianPassPart()), seconds(ours.medianRerun()),
                    ours.medianBatches().map(batches -> "~" + seconds(batches)).orElse("-"), fullAfter, ratio);
        }
    }

    private static void printCreateTable(BenchmarkReport report, PrintWriter out) {
        BenchmarkOptions options = report.options();
        out.println();
        out.println("CREATE TABLE at N existing tables, median (mean) of " + options.createTableSamples()
                + " samples per variant, each its own transaction, in " + options.rounds()
                + " interleaved rounds (a new connection per variant and round) after " + options.warmupSamples()
                + " warm-up;");
        out.println("  every database holds the same catalog and the FOR ALL TABLES publication and differs in its "
                + "event trigger only;");
        out.println("  minimal = on ddl_command_end for CREATE TABLE, only ALTER TABLE <created> REPLICA IDENTITY "
                + "FULL;");
        out.println("  ours    = as provision() installs it for ALL_TABLES over schema public with MASTER credentials "
                + "(no CDC role to grant SELECT to)");
        if ("off".equals(report.serverSettings().get("fsync"))) {
            out.println("  fsync=off: commits skip the disk flush, so CREATE TABLE is cheaper and less noisy than with "
                    + "durable commits (--fsync), and the ratios higher");
        }
        String format = "  %7s  %-16s  %-26s  %-38s  %-26s  %s%n";
        out.printf(Locale.ROOT, format, "N", "no trigger", "minimal (added)", "runbook (added, / none)",
                "ours (added)", "ours / minimal (target " + target() + ")");
        for (TableCountResult result : report.results()) {
            String runbook = result.runbookTrigger()
                    .map(cost -> describe(cost) + " " + micros(cost.median().minus(result.noTrigger().median()))
                            + " " + ratio(OptionalDouble.of(cost.medianRatioTo(result.noTrigger()))))
                    .orElse("(not run)");
            out.printf(Locale.ROOT, format, result.tables(), describe(result.noTrigger()),
                    describe(result.minimalTrigger()) + " " + micros(result.minimalOverhead()), runbook,
                    describe(result.oursTrigger()) + " " + micros(result.oursTrigger().median()
                            .minus(result.noTrigger().median())), verdict(result));
        }
    }

    private static void printAddColumn(BenchmarkReport report, PrintWriter out) {
        out.println();
        out.println("ALTER TABLE ... ADD COLUMN on a REPLICA IDENTITY FULL, published table at N existing tables, "
                + "median (mean), sampled like CREATE TABLE:");
        String format = "  %7s  %-16s  %-26s  %s%n";
        out.printf(Locale.ROOT, format, "N", "no trigger", "ours (added)", "ours / none");
        for (TableCountResult result : report.results()) {
            out.printf(Locale.ROOT, format, result.tables(), describe(result.addColumnNoTrigger()),
                    describe(result.addColumnOurs()) + " " + micros(result.addColumnOurs().median()
                            .minus(result.addColumnNoTrigger().median())),
                    ratio(OptionalDouble.of(result.addColumnRatio())));
        }
    }

    /** The figures of one table count in one line, e.g. for progress output. */
    static String oneLine(TableCountResult result) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "N=%-6d pass: ", result.tables()));
        result.baselinePass().ifPresent(baseline -> line.append("baseline ").append(describe(baseline))
                .append(", "));
        line.append("ours ").append(seconds(result.oursPass().medianProvision()));
        line.append("   CREATE TABLE: none ").append(millis(result.noTrigger().median()))
                .append(", minimal ").append(millis(result.minimalTrigger().median()));
        result.runbookTrigger().ifPresent(cost -> line.append(", runbook ").append(millis(cost.median())));
        line.append(", ours ").append(millis(result.oursTrigger().median())).append(", ours/minimal ")
                .append(verdict(result));
        line.append("   ADD COLUMN: none ").append(millis(result.addColumnNoTrigger().median())).append(", ours ")
                .append(millis(result.addColumnOurs().median())).append(" (")
                .append(ratio(OptionalDouble.of(result.addColumnRatio()))).append(')');
        return line.toString();
    }

    /** E.g. {@code 1.07x FAIL (ours +212 us beyond minimal)}. */
    static String verdict(TableCountResult result) {
        return String.format(Locale.ROOT, "%.3fx %s (%s beyond minimal)", result.oursToMinimalRatio(),
                result.meetsTarget() ? "PASS" : "FAIL", micros(result.oursBeyondMinimal()));
    }

    static String describe(Map<String, String> settings) {
        return String.join(", ", REPORTED_SETTINGS.stream().filter(settings::containsKey)
                .map(name -> name + "=" + settings.get(name)).toList());
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
    }

    private static String target() {
        return String.format(Locale.ROOT, "%.2fx", BenchmarkReport.OURS_TO_MINIMAL_TARGET);
    }

    private static String describe(BaselinePass pass) {
        return pass.failure().map(message -> "failed: " + message + " after " + seconds(pass.medianElapsed()))
                .orElse(seconds(pass.medianElapsed()));
    }

    private static String describe(StatementCost cost) {
        return millis(cost.median()) + " (" + String.format(Locale.ROOT, "%.2f", cost.mean().toNanos() / 1e6) + ")";
    }

    private static String micros(Duration duration) {
        return String.format(Locale.ROOT, "%+d us", Math.round(duration.toNanos() / 1e3));
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static String millis(Duration duration) {
        return String.format(Locale.ROOT, "%.2f ms", duration.toNanos() / 1e6);
    }

    private static String ratio(OptionalDouble ratio) {
        return ratio.isPresent() ? String.format(Locale.ROOT, "%.2fx", ratio.getAsDouble()) : "-";
    }

    private static String minutesAndSeconds(Duration duration) {
        long seconds = Math.round(duration.toNanos() / 1e9);
        return seconds >= 60 ? (seconds / 60) + " min " + (seconds % 60) + " s" : seconds + " s";
    }
}
