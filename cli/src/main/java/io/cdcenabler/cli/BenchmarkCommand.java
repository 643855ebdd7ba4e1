package io.cdcenabler.cli;

import io.cdcenabler.bench.BenchmarkOptions;
import io.cdcenabler.bench.ReplicaIdentityBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints the benchmark figures: our replica-identity pass against the runbook's, and our event trigger's cost per
 * CREATE TABLE against no trigger and the minimal trigger (with PASS/FAIL against the 1.05x target), on one server.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = "Measure, on one embedded PostgreSQL, the initial REPLICA IDENTITY pass, one CREATE TABLE with "
                + "no trigger, the minimal trigger (only ALTER TABLE <created> REPLICA IDENTITY FULL), the runbook's "
                + "and ours, and one ALTER TABLE ... ADD COLUMN on a tracked table with and without ours; print "
                + "times, ratios, and ours/minimal against the target 1.05x. Prints figures; exits 0 whatever they "
                + "are.")
final class BenchmarkCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;

    @Option(names = "--tables", paramLabel = "N", split = ",",
            description = "Table counts to measure at (default: 1000,5000,20000)")
    List<Integer> tables = new ArrayList<>();

    @Option(names = "--samples", paramLabel = "N",
            description = "Timed statements (CREATE TABLE, ADD COLUMN) per variant and table count (default: 200)")
    Integer samples;

    @Option(names = "--rounds", paramLabel = "N",
            description = "Split the timed statements into N rounds, a new connection per variant and round "
                    + "(default: 20, so 10 statements per connection; 1 = every statement on one connection)")
    Integer rounds;

    @Option(names = "--pass-repetitions", paramLabel = "N",
            description = "Initial passes per variant and table count, on fresh databases; the median is shown "
                    + "(default: 5)")
    Integer passRepetitions;

    @Option(names = "--no-baseline", description = "Leave out the runbook's pass and trigger")
    boolean noBaseline;

    @Option(names = "--fsync", description = "Flush commits to disk, as PostgreSQL does by default and RDS always "
            + "does (default: off, like every embedded server here; CREATE TABLE is then cheaper and the ratios "
            + "higher)")
    boolean fsync;

    @Override
    public Integer call() {
        BenchmarkOptions.Builder options = BenchmarkOptions.builder().includeBaseline(!noBaseline).fsync(fsync);
        if (!tables.isEmpty()) {
            options.tableCounts(tables);
        }
        if (samples != null) {
            options.createTableSamples(samples).rounds(Math.max(1, Math.min(BenchmarkOptions.DEFAULT_ROUNDS, samples)));
        }
        if (rounds != null) {
            options.rounds(rounds);
        }
        if (passRepetitions != null) {
            options.passRepetitions(passRepetitions);
        }
        ReplicaIdentityBenchmark.run(options.build(), command.commandLine().getOut());
        return 0;
    }
}
