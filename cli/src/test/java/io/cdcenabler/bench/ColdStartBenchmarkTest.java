package io.cdcenabler.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.cdcenabler.bench.ColdStartBenchmark.Measurement;
import io.cdcenabler.bench.ColdStartBenchmark.Report;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ColdStartBenchmarkTest {
    private static final Path EVENTS = Path.of("src/test/resources/events");
    private static final Path LAMBDA_JAR = Path.of("target", ColdStartBenchmark.JAR_NAME);

    @Test
    void measure_onTheTestClassPath_printsTheHandlersTypedErrorAndAPositiveTime() {
        Measurement measurement = ColdStartBenchmark.measure(System.getProperty("java.class.path"),
                "DescribeTargetHandler", EVENTS.resolve("manual-bad-not-an-object.json"), 1);

        assertThat(measurement.median()).isPositive();
        assertThat(measurement.firstResult())
                .startsWith("ERROR io.cdcenabler.workflow.InvalidInputException: ")
                .contains("input must be a JSON object");
    }

    @Test
    void measure_whenTheFirstSdkCallCannotConnect_endsWithAResultInsteadOfHanging() {
        Measurement measurement = ColdStartBenchmark.measure(System.getProperty("java.class.path"),
                "CheckStatusHandler", EVENTS.resolve("state-after-check-status.json"), 1);

        assertThat(measurement.firstResult()).startsWith("ERROR ").contains("Connection refused");
        assertThat(measurement.median()).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void run_onTheLambdaJar_reportsTheJarSizeAndAPositiveFigurePerHandler() {
        assumeTrue(Files.isRegularFile(LAMBDA_JAR), "no " + LAMBDA_JAR + " yet: mvn test runs before package");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Report report = ColdStartBenchmark.run(LAMBDA_JAR, EVENTS, 1,
                new PrintStream(progress, true, StandardCharsets.UTF_8));

        assertThat(report.jarBytes()).isPositive();
        assertThat(report.measurements()).extracting(Measurement::handler)
                .containsExactlyElementsOf(ColdStartBenchmark.HANDLERS.stream()
                        .map(ColdStartBenchmark.HandlerInput::handler).toList());
        assertThat(report.measurements()).allSatisfy(measurement -> {
            assertThat(measurement.median()).isPositive();
            assertThat(measurement.firstResult()).matches("(RESULT|ERROR) .+");
        });
        assertThat(report.format())
                .contains("Lambda jar ", " MB", "Heaviest handler ")
                .contains(ColdStartBenchmark.HANDLERS.stream().map(ColdStartBenchmark.HandlerInput::handler)
                        .toList());
    }
}
