package io.cdcenabler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.bench.ColdStartBenchmark.Measurement;
import io.cdcenabler.bench.ColdStartBenchmark.Report;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The cold-start benchmark on the Lambda jar this build made: failsafe runs it in {@code verify}, after functions was
 * packaged earlier in the reactor, so it is never skipped for want of a jar and never measures an old one.
 */
class ColdStartBenchmarkIT {
    private static final Path LAMBDA_JAR = Path.of(System.getProperty("cdcenabler.lambda.jar",
            "../functions/target/" + ColdStartBenchmark.JAR_NAME));
    private static final Path EVENTS = Path.of(System.getProperty("cdcenabler.events.dir",
            "../functions/src/test/resources/events"));

    @Test
    void run_onTheLambdaJar_reportsTheJarSizeAndAPositiveFigurePerHandler() {
        assertThat(LAMBDA_JAR).as("the Lambda jar: mvn verify packages functions before cli").isRegularFile();
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        Report report = ColdStartBenchmark.run(LAMBDA_JAR, EVENTS, 1,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        System.out.print(report.format());

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
