package io.cdcenabler.bench;

import io.cdcenabler.bench.BenchmarkReport.StatementCost;
import io.cdcenabler.bench.BenchmarkReport.OursPass;
import io.cdcenabler.bench.BenchmarkReport.TableCountResult;
import io.cdcenabler.bench.CreateTableSampler.Probe;
import io.cdcenabler.bench.ReplicaIdentityPasses.Passes;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import io.cdcenabler.postgres.Provisioner;
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
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Measures, on one embedded PostgreSQL, what the issue asks of the engine against the manual runbook it replaces:
 * the initial REPLICA IDENTITY FULL pass (the runbook's one-transaction {@code CALL} against our
 * {@link Provisioner#provision}), and the cost our event trigger adds to every CREATE TABLE against no trigger, the
 * minimal trigger that only ALTERs the created table (the yardstick: at most 1.05x) and the runbook's, and to
 * an ALTER TABLE ... ADD COLUMN on a tracked table, at several numbers of existing tables. It prints progress and
 * tables of times, ratios and the PASS/FAIL against the target, and returns the figures; it never fails on a figure.
 *
 * <p>The server keeps PostgreSQL's stock lock settings (max_connections=100, max_locks_per_transaction=64,
 * max_wal_senders=10), so the shared lock table has its realistic size and the runbook's one-transaction pass runs
 * out of it as it does on a default server. Every pass starts from a fresh copy of the same database, with every
 * table at REPLICA IDENTITY DEFAULT. The databases whose DDL is timed are copies of one provisioned database (the
 * runbook's aside), so they hold the same catalog and the FOR ALL TABLES publication and differ in their event
 * trigger only.
 */
public final class ReplicaIdentityBenchmark {
    /** PostgreSQL's own defaults, which zonky's embedded server would otherwise raise (max_connections=300). */
    private static final Map<String, String> STOCK_SETTINGS = Collections.unmodifiableSortedMap(new TreeMap<>(Map.of(
            "max_connections", "100",
            "max_locks_per_transaction", "64",
            "max_wal_senders", "10",
            "max_replication_slots", "10")));
    /** slf4j-simple's per-logger level: the engine logs one line per table changed, which would bury the figures. */
    private static final String PROVISIONER_LOG_LEVEL = "org.slf4j.simpleLogger.log.io.cdcenabler.postgres.Provisioner";

    private final BenchmarkOptions options;
    private final PrintWriter out;
    private final BenchmarkDatabases databases;
    private final ReplicaIdentityPasses passes;

    private ReplicaIdentityBenchmark(BenchmarkOptions options, PrintWriter out, BenchmarkDatabases databases,
                                     RunbookBaseline runbook) {
        this.options = options;
        this.out = out;
        this.databases = databases;
        this.passes = new ReplicaIdentityPasses(options, out, databases, runbook);
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
            benchmark.passes.warmUp();
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
            BenchmarkPrinter.printSummary(report, out);
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
        List<String> created = new ArrayList<>();
        try {
            Passes passes = this.passes.run(tables, template, created);
            TriggerDatabases triggers = triggerDatabases("bench_" + tables, passes.oursDatabase(),
                    passes.baselineDatabase(), created);
            List<StatementCost> createCosts = sample(tables, Probe.CREATE_TABLE, triggers.createTableVariants());
            List<StatementCost> addColumnCosts = sample(tables, Probe.ADD_COLUMN, triggers.addColumnVariants());
            TableCountResult result = new TableCountResult(tables, creation, passes.baseline(),
                    new OursPass(passes.ours()), createCosts.get(0), createCosts.get(1),
                    passes.baseline().isPresent() ? Optional.of(createCosts.get(2)) : Optional.empty(),
                    createCosts.get(createCosts.size() - 1), addColumnCosts.get(0), addColumnCosts.get(1));
            out.println(BenchmarkPrinter.oneLine(result));
            out.flush();
            return result;
        } catch (SQLException e) {
            throw new BenchmarkException("measuring at " + tables + " tables: " + e.getMessage(), e);
        } finally {
            created.forEach(databases::drop);
        }
    }

    /** The databases whose DDL is timed, in the order of their figures; the runbook's is null without a baseline. */
    private record TriggerDatabases(String none, String minimal, String runbook, String ours) {
        List<Variant> createTableVariants() {
            List<Variant> variants = new ArrayList<>();
            variants.add(new Variant("no trigger", none, "d"));
            variants.add(new Variant("the minimal trigger", minimal, "f"));
            if (runbook != null) {
                variants.add(new Variant("the runbook's trigger", runbook, "f"));
            }
            variants.add(new Variant("our trigger", ours, "f"));
            return variants;
        }

        List<Variant> addColumnVariants() {
            return List.of(new Variant("no trigger", none, "f"), new Variant("our trigger", ours, "f"));
        }
    }

    /**
     * The databases without a trigger and with the minimal one are copies of our provisioned database with its event
     * trigger dropped (its function, schema and publication stay), so all three hold the same catalog and differ in
     * their event trigger only.
     */
    private TriggerDatabases triggerDatabases(String prefix, String oursDatabase, String runbookDatabase,
                                              List<String> created) throws SQLException {
        String none = prefix + "_no_trigger";
        String minimal = prefix + "_minimal_trigger";
        for (String copy : List.of(none, minimal)) {
            created.add(copy);
            databases.copy(oursDatabase, copy);
            try (Connection connection = databases.connect(copy)) {
                MinimalTrigger.dropEveryEventTrigger(connection);
                if (copy.equals(minimal)) {
                    MinimalTrigger.install(connection);
                }
            }
        }
        for (String database : Stream.of(none, minimal, runbookDatabase, oursDatabase)
                .filter(Objects::nonNull).toList()) {
            try (Connection connection = databases.connect(database)) {
                BenchmarkDatabases.vacuumCatalogs(connection);
            }
        }
        return new TriggerDatabases(none, minimal, runbookDatabase, oursDatabase);
    }

    private List<StatementCost> sample(int tables, Probe probe, List<Variant> variants) {
        List<CreateTableSampler.Variant> sampled = variants.stream()
                .map(variant -> new CreateTableSampler.Variant(variant.label(),
                        () -> databases.connect(variant.database()), variant.expectedIdentity()))
                .toList();
        progress(tables, "timing " + probe.label() + ": " + options.createTableSamples() + " samples per variant in "
                + options.rounds() + " interleaved rounds after " + options.warmupSamples() + " warm-up ("
                + String.join(", ", variants.stream().map(Variant::label).toList()) + ") ...");
        long start = System.nanoTime();
        List<List<Duration>> samples = new CreateTableSampler(sampled, probe)
                .sample(options.warmupSamples(), options.createTableSamples(), options.rounds());
        progress(tables, "timed in " + seconds(Duration.ofNanos(System.nanoTime() - start)));
        return samples.stream().map(StatementCost::new).toList();
    }

    /** A database to time, named, with the replica identity its probed table must end with. */
    private record Variant(String label, String database, String expectedIdentity) {
    }

    private void progress(int tables, String message) {
        ReplicaIdentityPasses.progress(out, tables, message);
    }

    private static Map<String, String> settings(RunningPostgres server) {
        Map<String, String> settings = new LinkedHashMap<>();
        try (Connection connection = server.connect("postgres"); Statement statement = connection.createStatement()) {
            for (String name : concat("server_version", BenchmarkPrinter.REPORTED_SETTINGS)) {
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

    private static String describe(Map<String, String> settings) {
        return BenchmarkPrinter.describe(settings);
    }

    private static String seconds(Duration duration) {
        return BenchmarkPrinter.seconds(duration);
    }
}
