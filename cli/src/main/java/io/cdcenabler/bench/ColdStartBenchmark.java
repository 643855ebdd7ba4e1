package io.cdcenabler.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures what a Lambda cold start of each handler costs: the size of the shaded Lambda jar against its 16 MB
 * target, and per handler the wall time from launching a fresh JVM ({@code -XX:TieredStopAtLevel=1}, as Lambda runs
 * Java) on that jar to the handler's first result, the median of {@value #DEFAULT_RUNS} runs, the heaviest against
 * the 0.7 s target. Each run goes through {@code io.cdcenabler.handler.LocalInvoke}: the public no-arg constructor
 * (class loading, SDK client building) and one invocation (JSON in, the first SDK call, JSON or a typed error out).
 *
 * <p>There is no AWS here, so each run gets region us-east-1, dummy credentials, one attempt per call and the
 * unreachable endpoint {@value #UNREACHABLE_ENDPOINT}: the first SDK call is marshalled, signed and sent, and fails at
 * once with a refused connection, which is the first result. JDBC and TLS to a database (Provision, Verify) come after
 * that call and are not measured.
 *
 * <p>Run after {@code mvn package} from the repository root or from a module folder; takes no arguments.
 */
public final class ColdStartBenchmark {
    public static final String JAR_NAME = "cdc-enabler-lambda.jar";
    public static final long JAR_TARGET_BYTES = 16L * 1024 * 1024;
    public static final Duration HANDLER_TARGET = Duration.ofMillis(700);
    public static final int DEFAULT_RUNS = 5;
    public static final String UNREACHABLE_ENDPOINT = "http://127.0.0.1:9";
    static final String RUNNER = "io.cdcenabler.handler.LocalInvoke";
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

    /** Each handler with the input from src/test/resources/events it is started with. */
    public static final List<HandlerInput> HANDLERS = List.of(
            new HandlerInput("DescribeTargetHandler", "manual-instance.json"),
            new HandlerInput("EnsureParameterGroupHandler", "state-after-check-status.json"),
            new HandlerInput("RebootHandler", "state-after-check-status.json"),
            new HandlerInput("CheckStatusHandler", "state-after-check-status.json"),
            new HandlerInput("ReadCredentialsHandler", "state-after-check-status.json"),
            new HandlerInput("ProvisionHandler", "state-after-read-credentials.json"),
            new HandlerInput("VerifyHandler", "state-after-provision.json"));

    /** A handler (simple name in io.cdcenabler.handler) and the event file it is invoked with. */
    public record HandlerInput(String handler, String eventFile) {
    }

    /** One handler's runs: the median, the fastest and slowest, and the first result line of the last run. */
    public record Measurement(String handler, Duration median, Duration min, Duration max, String firstResult) {
    }

    /** The jar's size and every handler's measurement. */
    public record Report(Path jar, long jarBytes, int runs, List<Measurement> measurements) {
        public Report {
            measurements = List.copyOf(measurements);
        }

        public Measurement heaviest() {
            return measurements.stream().max((a, b) -> a.median().compareTo(b.median()))
                    .orElseThrow(() -> new BenchmarkException("the report holds no measurement"));
        }

        public String format() {
            StringBuilder text = new StringBuilder();
            text.append(String.format(Locale.ROOT, "Cold start per handler: fresh JVM (-XX:TieredStopAtLevel=1) to "
                    + "first result, median of %d runs; no AWS (dummy credentials, endpoint %s, 1 attempt)%n",
                    runs, UNREACHABLE_ENDPOINT));
            if (jar != null) {
                text.append(String.format(Locale.ROOT, "Lambda jar %s: %.2f MB (%d bytes; 1 MB = 1024 KiB), "
                        + "target <= %d MB: %s%n", jar, jarBytes / (1024.0 * 1024.0), jarBytes,
                        JAR_TARGET_BYTES / (1024 * 1024), jarBytes <= JAR_TARGET_BYTES ? "PASS" : "FAIL"));
            }
            for (Measurement m : measurements) {
                text.append(String.format(Locale.ROOT, "  %-28s %6.3f s  (min %.3f, max %.3f)  first result: %s%n",
                        m.handler(), seconds(m.median()), seconds(m.min()), seconds(m.max()),
                        abbreviate(m.firstResult())));
            }
            Measurement heaviest = heaviest();
            text.append(String.format(Locale.ROOT, "Heaviest handler %s: %.3f s, target <= %.1f s: %s%n",
                    heaviest.handler(), seconds(heaviest.median()), seconds(HANDLER_TARGET),
                    heaviest.median().compareTo(HANDLER_TARGET) <= 0 ? "PASS" : "FAIL"));
            return text.toString();
        }
    }

    private ColdStartBenchmark() {
    }

    /** Finds the Lambda jar and the event files, measures, prints the report. */
    public static void main(String[] args) {
        if (args.length > 0) {
            System.err.println("usage: java -cp cli/target/cdc-enabler.jar io.cdcenabler.bench.ColdStartBenchmark"
                    + " (no arguments; run after mvn package, from the repository root or a module folder)");
            System.exit(2);
        }
        Path module = Files.isDirectory(Path.of("functions")) ? Path.of("functions") : Path.of("..", "functions");
        Path jar = module.resolve("target").resolve(JAR_NAME);
        if (!Files.isRegularFile(jar)) {
            System.err.println("no " + jar + ": run mvn -pl functions -am package -DskipTests first");
            System.exit(1);
        }
        Report report = run(jar, module.resolve("src/test/resources/events"), DEFAULT_RUNS, System.err);
        System.out.print(report.format());
    }

    /** Measures every handler on the jar; progress goes to {@code progress}. */
    public static Report run(Path jar, Path eventsDir, int runs, PrintStream progress) {
        long bytes;
        try {
            bytes = Files.size(jar);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of " + jar, e);
        }
        return new Report(jar, bytes, runs, measureAll(jar.toString(), eventsDir, runs, progress));
    }

    /** Measures every handler of {@link #HANDLERS} on a class path (the jar, or a test's class path). */
    public static List<Measurement> measureAll(String classpath, Path eventsDir, int runs, PrintStream progress) {
        if (runs < 1 || runs > 50) {
            throw new BenchmarkException("runs must be between 1 and 50, was " + runs);
        }
        List<Measurement> measurements = new ArrayList<>();
        for (HandlerInput input : HANDLERS) {
            Path event = eventsDir.resolve(input.eventFile());
            if (!Files.isRegularFile(event)) {
                throw new BenchmarkException("the input of " + input.handler() + " is missing: expected " + event);
            }
            measurements.add(measure(classpath, input.handler(), event, runs));
            progress.println("measured " + input.handler());
        }
        return measurements;
    }

    /** Launches a fresh JVM {@code runs} times for one handler. */
    public static Measurement measure(String classpath, String handler, Path event, int runs) {
        List<Duration> times = new ArrayList<>();
        String firstResult = null;
        for (int run = 0; run < runs; run++) {
            Run result = launch(classpath, handler, event);
            times.add(result.elapsed());
            firstResult = result.firstResult();
        }
        List<Duration> sorted = times.stream().sorted().toList();
        return new Measurement(handler, sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1),
                firstResult);
    }

    private record Run(Duration elapsed, String firstResult) {
    }

    private static Run launch(String classpath, String handler, Path event) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp", classpath,
                RUNNER, handler, event.toString());
        offlineAws(builder.environment());
        Path stderr;
        try {
            stderr = Files.createTempFile("cold-start-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the handler's log", e);
        }
        builder.redirectError(stderr.toFile());
        try {
            long started = System.nanoTime();
            Process process = builder.start();
            String firstResult = null;
            long elapsed = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (firstResult == null && (line.startsWith("RESULT ") || line.startsWith("ERROR "))) {
                        elapsed = System.nanoTime() - started;
                        firstResult = line;
                    }
                }
            }
            if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new BenchmarkException(handler + " did not end within " + RUN_TIMEOUT);
            }
            if (firstResult == null) {
                throw new BenchmarkException(handler + " printed no result (exit code " + process.exitValue()
                        + "); its log: " + tail(stderr));
            }
            return new Run(Duration.ofNanos(elapsed), firstResult);
        } catch (IOException e) {
            throw new BenchmarkException("cannot launch " + java + " for " + handler, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchmarkException("interrupted while measuring " + handler, e);
        } finally {
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException ignored) {
                // A leftover temporary log does not change the figures.
            }
        }
    }

    /** The environment of an offline cold start: a region, dummy credentials, no profile, an unreachable endpoint. */
    static void offlineAws(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.startsWith("AWS_"));
        environment.put("AWS_REGION", "us-east-1");
        environment.put("AWS_ACCESS_KEY_ID", "cold-start-benchmark");
        environment.put("AWS_SECRET_ACCESS_KEY", "cold-start-benchmark");
        environment.put("AWS_ENDPOINT_URL", UNREACHABLE_ENDPOINT);
        environment.put("AWS_MAX_ATTEMPTS", "1");
        environment.put("AWS_EC2_METADATA_DISABLED", "true");
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static String abbreviate(String line) {
        return line.length() <= 140 ? line : line.substring(0, 137) + "...";
    }
}
