package io.cdcenabler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.bench.ColdStartBenchmark.Measurement;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ColdStartBenchmarkTest {
    /** functions' event files (set by Surefire): the inputs the handlers are invoked with. */
    private static final Path EVENTS = Path.of(System.getProperty("cdcenabler.events.dir",
            "../functions/src/test/resources/events"));

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
}
