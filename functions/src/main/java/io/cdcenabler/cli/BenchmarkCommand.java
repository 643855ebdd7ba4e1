package io.cdcenabler.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced when the benchmark lands. */
@Command(name = "benchmark", mixinStandardHelpOptions = true, hidden = true,
        description = "Benchmark the replica-identity pass and the event trigger against the runbook's SQL.")
final class BenchmarkCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new io.cdcenabler.postgres.CdcEnablerException("the benchmark is not wired yet");
    }
}
