package io.cdcenabler.bench;

import io.cdcenabler.bench.BenchmarkReport.BaselinePass;
import io.cdcenabler.bench.BenchmarkReport.BaselineRun;
import io.cdcenabler.bench.BenchmarkReport.OursRun;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import io.cdcenabler.postgres.CredentialsMode;
import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.LockPolicy;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.ProvisioningSpec;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postgresql.util.PSQLException;

/**
 * The initial REPLICA IDENTITY FULL pass of {@link ReplicaIdentityBenchmark}, the runbook's one-transaction
 * {@code CALL} against our {@link Provisioner#provision}, each on a fresh copy of a template per repetition, in
 * alternating order; and the unreported warm-up of both.
 */
final class ReplicaIdentityPasses {
    private static final int WARMUP_TABLES = 200;

    private final BenchmarkOptions options;
    private final PrintWriter out;
    private final BenchmarkDatabases databases;
    private final RunbookBaseline runbook;
    private final ProvisioningSpec spec = ProvisioningSpec.builder()
            .credentialsMode(CredentialsMode.MASTER)
            .lockPolicy(LockPolicy.DEFAULT)
            .build();

    /** {@code runbook} is null when the options leave the baseline out. */
    ReplicaIdentityPasses(BenchmarkOptions options, PrintWriter out, BenchmarkDatabases databases,
                          RunbookBaseline runbook) {
        this.options = options;
        this.out = out;
        this.databases = databases;
        this.runbook = runbook;
    }

    /**
     * Every repetition's runs, and the databases the last repetition left: ours provisioned, the runbook's (null
     * without a baseline) with its publication and CREATE TABLE trigger, ready for their DDL to be timed.
     */
    record Passes(Optional<BaselinePass> baseline, List<OursRun> ours, String baselineDatabase, String oursDatabase) {
    }

    /** Runs the passes at {@code tables} tables; every database it creates is added to {@code created}. */
    Passes run(int tables, String template, List<String> created) throws SQLException {
        String prefix = "bench_" + tables;
        List<BaselineRun> baselineRuns = new ArrayList<>();
        List<OursRun> oursRuns = new ArrayList<>();
        String baselineCopy = null;
        String oursCopy = null;
        for (int repetition = 1; repetition <= options.passRepetitions(); repetition++) {
            if (oursCopy != null) {
                databases.drop(oursCopy);
                if (baselineCopy != null) {
                    databases.drop(baselineCopy);
                }
            }
            baselineCopy = runbook != null ? prefix + "_runbook_" + repetition : null;
            oursCopy = prefix + "_ours_" + repetition;
            for (String copy : baselineCopy != null ? List.of(baselineCopy, oursCopy) : List.of(oursCopy)) {
                created.add(copy);
                databases.copy(template, copy);
            }
            boolean baselineFirst = repetition % 2 == 1;
            if (baselineCopy != null && baselineFirst) {
                baselineRuns.add(baselinePass(tables, baselineCopy, repetition));
            }
            oursRuns.add(oursPass(tables, oursCopy, repetition));
            if (baselineCopy != null && !baselineFirst) {
                baselineRuns.add(baselinePass(tables, baselineCopy, repetition));
            }
        }
        if (baselineCopy != null) {
            prepareRunbookTrigger(tables, baselineCopy, baselineRuns.get(baselineRuns.size() - 1));
        }
        return new Passes(baselineCopy != null ? Optional.of(new BaselinePass(baselineRuns)) : Optional.empty(),
                oursRuns, baselineCopy, oursCopy);
    }

    /**
     * Runs both passes once on a small database, unreported, so that the first measured provision() does not pay
     * for loading and compiling the engine's classes, nor the first CALL for a cold server.
     */
    void warmUp() {
        String template = "bench_warmup";
        List<String> created = new ArrayList<>(List.of(template));
        out.println("Warming up: both passes once on " + WARMUP_TABLES + " tables (not reported) ...");
        out.flush();
        try {
            databases.createTemplate(template, null, 0, WARMUP_TABLES);
            for (String role : List.of("runbook", "ours")) {
                if (role.equals("runbook") && runbook == null) {
                    continue;
                }
                String copy = template + "_" + role;
                created.add(copy);
                databases.copy(template, copy);
                if (role.equals("runbook")) {
                    try (Connection connection = databases.connect(copy)) {
                        runbook.createProcedure(connection);
                        runbook.callPass(connection);
                    }
                } else {
                    RunningPostgres server = databases.server();
                    new Provisioner(JdbcConnectionSource.of(server.jdbcUrl(copy), server.superuser(), null))
                            .provision(spec);
                }
            }
        } catch (SQLException e) {
            throw new BenchmarkException("warming up: " + e.getMessage(), e);
        } finally {
            created.forEach(databases::drop);
        }
    }

    private BaselineRun baselinePass(int tables, String database, int repetition) throws SQLException {
        try (Connection connection = databases.connect(database)) {
            runbook.createProcedure(connection);
            Optional<String> failure = Optional.empty();
            long start = System.nanoTime();
            try {
                runbook.callPass(connection);
            } catch (SQLException e) {
                failure = Optional.of(errorMessage(e));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            int full = BenchmarkDatabases.fullTables(connection);
            progress(tables, "baseline pass " + repetition + "/" + options.passRepetitions() + " ("
                    + runbook.callText() + ", one transaction): " + failure.map(message -> "failed: " + message
                    + " after " + seconds(elapsed)).orElse(seconds(elapsed)) + "; " + full + "/" + tables + " FULL");
            return new BaselineRun(elapsed, failure, full);
        }
    }

    private OursRun oursPass(int tables, String database, int repetition) throws SQLException {
        RunningPostgres server = databases.server();
        JdbcConnectionSource source = JdbcConnectionSource.of(server.jdbcUrl(database), server.superuser(), null);
        BatchClock clock = new BatchClock();
        long start = System.nanoTime();
        new Provisioner(source, clock).provision(spec);
        Duration provision = Duration.ofNanos(System.nanoTime() - start);
        start = System.nanoTime();
        new Provisioner(source).provision(spec);
        Duration rerun = Duration.ofNanos(System.nanoTime() - start);
        int full;
        try (Connection connection = databases.connect(database)) {
            full = BenchmarkDatabases.fullTables(connection);
        }
        OursRun run = new OursRun(provision, rerun, clock.estimate(), full);
        progress(tables, "ours pass " + repetition + "/" + options.passRepetitions() + " (provision, MASTER, "
                + "batches of " + spec.lockPolicy().batchSize() + "): " + seconds(provision) + ", re-run "
                + seconds(rerun) + ", pass part " + seconds(run.passPart())
                + run.batches().map(batches -> ", ALTER batches ~" + seconds(batches)).orElse("") + "; "
                + full + "/" + tables + " FULL");
        return run;
    }

    /**
     * Leaves the runbook's database as the runbook leaves a working setup: every table FULL, the publication, the
     * procedure and its CREATE TABLE trigger. Where the runbook's pass failed, the tables are set FULL in committed
     * batches first, so its trigger is timed in the steady state rather than failing on every CREATE TABLE.
     */
    private void prepareRunbookTrigger(int tables, String database, BaselineRun lastRun) throws SQLException {
        try (Connection connection = databases.connect(database)) {
            if (lastRun.failure().isPresent()) {
                progress(tables, "the runbook's pass failed, so its tables are set FULL in batches before its "
                        + "trigger is timed");
                BenchmarkDatabases.setAllFullInBatches(connection);
            }
            runbook.createPublication(connection, spec.publication());
            runbook.createTrigger(connection);
        }
    }

    static void progress(PrintWriter out, int tables, String message) {
        out.println("N=" + tables + ": " + message);
        out.flush();
    }

    private void progress(int tables, String message) {
        progress(out, tables, message);
    }

    private static String errorMessage(SQLException e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null
                && psql.getServerErrorMessage().getMessage() != null) {
            return psql.getServerErrorMessage().getMessage();
        }
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return message.startsWith("ERROR: ") ? message.substring("ERROR: ".length()) : message;
    }

    private static String seconds(Duration duration) {
        return BenchmarkPrinter.seconds(duration);
    }
}
