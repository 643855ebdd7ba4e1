package io.cdcenabler.bench;

import io.cdcenabler.bench.BenchmarkReport.BaselinePass;
import io.cdcenabler.bench.BenchmarkReport.BaselineRun;
import io.cdcenabler.bench.BenchmarkReport.CreateTableCost;
import io.cdcenabler.bench.BenchmarkReport.OursPass;
import io.cdcenabler.bench.BenchmarkReport.OursRun;
import io.cdcenabler.bench.BenchmarkReport.TableCountResult;
import io.cdcenabler.bench.CreateTableSampler.Variant;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import io.cdcenabler.postgres.CredentialsMode;
import io.cdcenabler.postgres.Identifiers;
import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.LockPolicy;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.ProvisioningSpec;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.postgresql.util.PSQLException;

/**
 * Measures, on one embedded PostgreSQL, what the issue asks of the engine against the manual runbook it replaces:
 * the initial REPLICA IDENTITY FULL pass (the runbook's one-transaction {@code CALL} against our
 * {@link Provisioner#provision}) and the cost the event trigger adds to every CREATE TABLE (none, the runbook's
 * trigger, ours), at several numbers of existing tables. It prints progress and a table of times and ratios, and
 * returns the figures.
 *
 * <p>The server keeps PostgreSQL's stock lock settings (max_connections=100, max_locks_per_transaction=64,
 * max_wal_senders=10), so the shared lock table has its realistic size and the runbook's one-transaction pass runs
 * out of it as it does on a default server. Every pass starts from a fresh copy of the same database, with every
 * table at REPLICA IDENTITY DEFAULT; every database measured for CREATE TABLE holds the FOR ALL TABLES publication,
 * so the variants differ in their event trigger only.
 */
public final class ReplicaIdentityBenchmark {
    /** PostgreSQL's own defaults, which zonky's embedded server would otherwise raise (max_connections=300). */
    private static final Map<String, String> STOCK_SETTINGS = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
            "max_connections", "100",
            "max_locks_per_transaction", "64",
            "max_wal_senders", "10",
            "max_replication_slots", "10")));
    private static final List<String> REPORTED_SETTINGS = List.of("max_connections", "max_locks_per_transaction",
            "max_wal_senders", "max_worker_processes", "autovacuum_max_workers", "shared_buffers", "fsync",
            "synchronous_commit");
    /** slf4j-simple's per-logger level: the engine logs one line per table changed, which would bury the figures. */
    private static final String PROVISIONER_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.cdcenabler.postgres.Provisioner";

    private static final int WARMUP_TABLES = 200;

    private final BenchmarkOptions options;
    private final PrintWriter out;
    private final BenchmarkDatabases databases;
    private final RunbookBaseline runbook;
    private final ProvisioningSpec spec = ProvisioningSpec.builder()
            .credentialsMode(CredentialsMode.MASTER)
            .lockPolicy(LockPolicy.DEFAULT)
            .build();

    private ReplicaIdentityBenchmark(BenchmarkOptions options, PrintWriter out, BenchmarkDatabases databases,
                                     RunbookBaseline runbook) {
        this.options = options;
        this.out = out;
        this.databases = databases;
        this.runbook = runbook;
    }

    /** Runs the benchmark with {@link BenchmarkOptions#defaults()}; takes no arguments. */
    public static void main(String[] args) {
        if (args.length > 0) {
            System.err.println("usage: java io.cdcenabler.bench.ReplicaIdentityBenchmark (no arguments; "
                    + "the cdc-enabler benchmark command takes options)");
            System.exit(2);
        }
        run(BenchmarkOptions.defaults(), System.out);
    }

    /** Starts an embedded PostgreSQL, measures, prints progress and the figures to {@code out}, stops the server. */
    public static BenchmarkReport run(BenchmarkOptions options, PrintStream out) {
        PrintWriter writer = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        try {
            return run(options, writer);
        } finally {
            writer.flush();
        }
    }

    /** The same, printing to a writer (picocli's {@code getOut()}). */
    public static BenchmarkReport run(BenchmarkOptions options, PrintWriter out) {
        if (options == null) {
            throw new BenchmarkException("options must not be null");
        }
        if (out == null) {
            throw new BenchmarkException("out must not be null");
        }
        if (System.getProperty(PROVISIONER_LOG_LEVEL) == null) {
            System.setProperty(PROVISIONER_LOG_LEVEL, "warn");
        }
        long started = System.nanoTime();
        RunbookBaseline runbook = options.includeBaseline() ? RunbookBaseline.load() : null;
        out.println("Starting an embedded PostgreSQL with stock lock settings " + STOCK_SETTINGS + " ...");
        out.flush();
        EmbeddedPostgresLauncher.Builder launcher = EmbeddedPostgresLauncher.builder();
        STOCK_SETTINGS.forEach(launcher::serverConfig);
        launcher.serverConfig("fsync", options.fsync() ? "on" : "off");
        try (RunningPostgres server = launcher.start(); BenchmarkDatabases databases = new BenchmarkDatabases(server)) {
            Map<String, String> settings = settings(server);
            String version = settings.remove("server_version");
            out.println("PostgreSQL " + version + " on port " + server.port() + ", " + describe(settings) + ", "
                    + Runtime.getRuntime().availableProcessors() + " CPUs");
            out.flush();
            ReplicaIdentityBenchmark benchmark = new ReplicaIdentityBenchmark(options, out, databases, runbook);
            benchmark.warmUp();
            List<TableCountResult> results = new ArrayList<>();
            String template = null;
            int templateTables = 0;
            try {
                for (int tables : options.tableCounts()) {
                    String next = "bench_" + tables + "_template";
                    Duration creation = benchmark.createTemplate(next, template, templateTables, tables);
                    if (template != null) {
                        databases.drop(template);
                    }
                    template = next;
                    templateTables = tables;
                    results.add(benchmark.measure(tables, template, creation));
                }
            } finally {
                if (template != null) {
                    databases.drop(template);
                }
            }
            BenchmarkReport report = new BenchmarkReport(version, settings, options, results,
                    Duration.ofNanos(System.nanoTime() - started));
            printSummary(report, out);
            return report;
        }
    }

    /** The template for {@code tables} tables, grown from the previous table count's template when there is one. */
    private Duration createTemplate(String template, String base, int baseTables, int tables) {
        progress(tables, (base == null ? "creating " + tables : "copying the " + baseTables + " tables and adding "
                + (tables - baseTables)) + " tables public.tNNNNNN (id int, v text), no primary key ...");
        long start = System.nanoTime();
        databases.createTemplate(template, base, baseTables, tables);
        Duration creation = Duration.ofNanos(System.nanoTime() - start);
        progress(tables, "done in " + seconds(creation));
        return creation;
    }

    private TableCountResult measure(int tables, String template, Duration creation) {
        String prefix = "bench_" + tables;
        List<String> created = new ArrayList<>();
        try {
            List<BaselineRun> baselineRuns = new ArrayList<>();
            List<OursRun> oursRuns = new ArrayList<>();
            String baselineDatabase = null;
            String oursDatabase = null;
            String noTriggerDatabase = null;
            for (int repetition = 1; repetition <= options.passRepetitions(); repetition++) {
                String baselineCopy = prefix + "_runbook_" + repetition;
                String oursCopy = prefix + "_ours_" + repetition;
                if (runbook != null) {
                    created.add(baselineCopy);
                    databases.copy(template, baselineCopy);
                }
                created.add(oursCopy);
                databases.copy(template, oursCopy);
                boolean baselineFirst = repetition % 2 == 1;
                if (runbook != null && baselineFirst) {
                    baselineRuns.add(baselinePass(tables, baselineCopy, repetition));
                }
                oursRuns.add(oursPass(tables, oursCopy, repetition));
                if (runbook != null && !baselineFirst) {
                    baselineRuns.add(baselinePass(tables, baselineCopy, repetition));
                }
                boolean last = repetition == options.passRepetitions();
                if (last) {
                    baselineDatabase = runbook != null ? baselineCopy : null;
                    oursDatabase = oursCopy;
                }
                // An earlier baseline copy serves as the database without a trigger (the runbook's procedure in it
                // is never called again), which saves copying the template once more.
                if (runbook != null && !last && noTriggerDatabase == null) {
                    noTriggerDatabase = baselineCopy;
                } else if (runbook != null && !last) {
                    databases.drop(baselineCopy);
                }
                if (!last) {
                    databases.drop(oursCopy);
                }
            }
            if (noTriggerDatabase == null) {
                noTriggerDatabase = prefix + "_no_trigger";
                created.add(noTriggerDatabase);
                databases.copy(template, noTriggerDatabase);
            }
            try (Connection connection = databases.connect(noTriggerDatabase)) {
                BenchmarkDatabases.execute(connection, "creating the publication", "CREATE PUBLICATION "
                        + Identifiers.quote(spec.publication()) + " FOR ALL TABLES");
            }
            if (baselineDatabase != null) {
                prepareRunbookTrigger(tables, baselineDatabase, baselineRuns.get(baselineRuns.size() - 1));
            }

            List<CreateTableCost> costs = sampleCreateTable(tables, noTriggerDatabase, baselineDatabase, oursDatabase);
            TableCountResult result = new TableCountResult(tables, creation,
                    runbook != null ? Optional.of(new BaselinePass(baselineRuns)) : Optional.empty(),
                    new OursPass(oursRuns), costs.get(0),
                    runbook != null ? Optional.of(costs.get(1)) : Optional.empty(), costs.get(costs.size() - 1));
            out.println(oneLine(result));
            out.flush();
            return result;
        } catch (SQLException e) {
            throw new BenchmarkException("measuring at " + tables + " tables: " + e.getMessage(), e);
        } finally {
            created.forEach(databases::drop);
        }
    }

    /**
     * Runs both passes once on a small database, unreported, so that the first measured provision() does not pay
     * for loading and compiling the engine's classes, nor the first CALL for a cold server.
     */
    private void warmUp() {
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

    private List<CreateTableCost> sampleCreateTable(int tables, String noTriggerDatabase, String runbookDatabase,
                                                    String oursDatabase) {
        for (String database : Stream.of(noTriggerDatabase, runbookDatabase, oursDatabase)
                .filter(Objects::nonNull).toList()) {
            try (Connection connection = databases.connect(database)) {
                BenchmarkDatabases.vacuumCatalogs(connection);
            } catch (SQLException e) {
                throw new BenchmarkException("closing the connection to " + database + ": " + e.getMessage(), e);
            }
        }
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("no trigger", () -> databases.connect(noTriggerDatabase), "d"));
        if (runbookDatabase != null) {
            variants.add(new Variant("the runbook's trigger", () -> databases.connect(runbookDatabase), "f"));
        }
        variants.add(new Variant("our trigger", () -> databases.connect(oursDatabase), "f"));
        progress(tables, "timing CREATE TABLE: " + options.createTableSamples() + " samples per variant in "
                + options.rounds() + " rounds after " + options.warmupSamples() + " warm-up ("
                + String.join(", ", variants.stream().map(Variant::label).toList()) + ") ...");
        long start = System.nanoTime();
        List<List<Duration>> samples = new CreateTableSampler(variants)
                .sample(options.warmupSamples(), options.createTableSamples(), options.rounds());
        progress(tables, "timed in " + seconds(Duration.ofNanos(System.nanoTime() - start)));
        return samples.stream().map(CreateTableCost::new).toList();
    }

    private void progress(int tables, String message) {
        out.println("N=" + tables + ": " + message);
        out.flush();
    }

    private static Map<String, String> settings(RunningPostgres server) {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
            for (String name : concat("server_version", REPORTED_SETTINGS)) {
                try (ResultSet rows = statement.executeQuery("SHOW " + name)) {
                    rows.next();
                    settings.put(name, rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new BenchmarkException("reading the server's settings: " + e.getMessage(), e);
        }
        return settings;
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static String errorMessage(SQLException e) {
        if (e instanceof PSQLException psql && psql.getServerErrorMessage() != null
                && psql.getServerErrorMessage().getMessage() != null) {
            return psql.getServerErrorMessage().getMessage();
        }
        String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        return message.startsWith("ERROR: ") ? message.substring("ERROR: ".length()) : message;
    }

    // --- printing ---

    /** Prints the figures of a report as two tables, one line per table count, and the total run time. */
    public static void printSummary(BenchmarkReport report, PrintWriter out) {
        BenchmarkOptions options = report.options();
        out.println();
        out.println("Results: PostgreSQL " + report.serverVersion() + ", " + describe(report.serverSettings()));
        out.println();
        out.println("Initial REPLICA IDENTITY FULL pass on N tables, median of " + options.passRepetitions()
                + " run(s), each on a fresh copy of the database:");
        out.println("  baseline = the runbook's CALL _bemi_set_replica_identity() (one transaction, tables found by "
                + "name)");
        out.println("  ours     = provision() with MASTER credentials: batches of 500 under lock_timeout, publication,"
                + " event trigger;");
        out.println("             pass part = provision() minus its immediate re-run (same catalog reads, "
                + "nothing to change);");
        out.println("             ALTER batches ~ = the batches alone, from the engine's progress reports "
                + "(end of the first batch to the end of the last, scaled to all tables)");
        String passFormat = "  %7s  %-44s  %-9s  %-9s  %-9s  %-13s  %-13s  %s%n";
        out.printf(Locale.ROOT, passFormat, "N", "baseline", "ours", "pass part", "re-run", "ALTER batches",
                "FULL after", "ours / baseline");
        for (TableCountResult result : report.results()) {
            OursPass ours = result.oursPass();
            String baseline = result.baselinePass().map(ReplicaIdentityBenchmark::describe).orElse("(not run)");
            String fullAfter = result.baselinePass()
                    .map(pass -> last(pass.runs()).fullTablesAfter() + " / ").orElse("")
                    + last(ours.runs()).fullTablesAfter();
            String batchesRatio = result.batchesToBaselineRatio().isPresent()
                    ? ", batches " + ratio(result.batchesToBaselineRatio()) : "";
            String ratio = result.provisionToBaselineRatio().isPresent()
                    ? ratio(result.provisionToBaselineRatio()) + " (pass part "
                    + ratio(result.passPartToBaselineRatio()) + batchesRatio + ")" : "-";
            out.printf(Locale.ROOT, passFormat, result.tables(), baseline, seconds(ours.medianProvision()),
                    seconds(ours.medianPassPart()), seconds(ours.medianRerun()),
                    ours.medianBatches().map(batches -> "~" + seconds(batches)).orElse("-"), fullAfter, ratio);
        }
        out.println();
        out.println("CREATE TABLE at N existing tables, median (mean) of " + options.createTableSamples()
                + " samples per variant, each its own transaction, in " + options.rounds()
                + " interleaved rounds (a new connection per variant and round) after " + options.warmupSamples()
                + " warm-up;");
        out.println("  every database holds the FOR ALL TABLES publication; ratios are medians over no trigger's "
                + "median");
        if ("off".equals(report.serverSettings().get("fsync"))) {
            out.println("  fsync=off: commits skip the disk flush, so CREATE TABLE is cheap and the ratios are upper "
                    + "bounds; the added ms do not depend on it");
        }
        String createFormat = "  %7s  %-20s  %-38s  %s%n";
        out.printf(Locale.ROOT, createFormat, "N", "no trigger", "runbook trigger (added, ratio)",
                "our trigger (added, ratio)");
        for (TableCountResult result : report.results()) {
            String runbookTrigger = result.runbookTrigger()
                    .map(cost -> describe(cost) + "  " + added(cost, result.noTrigger()) + "  "
                            + ratio(result.runbookTriggerRatio())).orElse("(not run)");
            out.printf(Locale.ROOT, createFormat, result.tables(), describe(result.noTrigger()), runbookTrigger,
                    describe(result.oursTrigger()) + "  " + added(result.oursTrigger(), result.noTrigger()) + "  "
                            + ratio(OptionalDouble.of(result.oursTriggerRatio())));
        }
        out.println();
        report.results().forEach(result -> out.println(oneLine(result)));
        out.println();
        Duration creation = report.results().stream().map(TableCountResult::tableCreation)
                .reduce(Duration.ZERO, Duration::plus);
        out.println("Total run time: " + minutesAndSeconds(report.elapsed()) + " (of which creating tables "
                + minutesAndSeconds(creation) + ")");
        out.flush();
    }

    /** The figures of one table count in one line, e.g. for progress output. */
    static String oneLine(TableCountResult result) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "N=%-6d pass: ", result.tables()));
        result.baselinePass().ifPresent(baseline -> line.append("baseline ").append(describe(baseline))
                .append(", "));
        line.append("ours ").append(seconds(result.oursPass().medianProvision()));
        if (result.provisionToBaselineRatio().isPresent()) {
            line.append(" (").append(ratio(result.provisionToBaselineRatio())).append("; pass part ")
                    .append(seconds(result.oursPass().medianPassPart())).append(", ")
                    .append(ratio(result.passPartToBaselineRatio())).append(')');
        }
        line.append("   CREATE TABLE: none ").append(millis(result.noTrigger().median()));
        result.runbookTrigger().ifPresent(cost -> line.append(", runbook ").append(millis(cost.median()))
                .append(" (").append(ratio(result.runbookTriggerRatio())).append(')'));
        line.append(", ours ").append(millis(result.oursTrigger().median())).append(" (")
                .append(ratio(OptionalDouble.of(result.oursTriggerRatio()))).append(')');
        return line.toString();
    }

    private static String describe(BaselinePass pass) {
        return pass.failure().map(message -> "failed: " + message + " after " + seconds(pass.medianElapsed()))
                .orElse(seconds(pass.medianElapsed()));
    }

    private static String describe(CreateTableCost cost) {
        return millis(cost.median()) + " (" + String.format(Locale.ROOT, "%.2f", cost.mean().toNanos() / 1e6) + ")";
    }

    private static String added(CreateTableCost cost, CreateTableCost noTrigger) {
        return String.format(Locale.ROOT, "%+.2f ms", (cost.median().toNanos() - noTrigger.median().toNanos()) / 1e6);
    }

    private static String describe(Map<String, String> settings) {
        return String.join(", ", REPORTED_SETTINGS.stream().filter(settings::containsKey)
                .map(name -> name + "=" + settings.get(name)).toList());
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f s", duration.toNanos() / 1e9);
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
