package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.postgres.Change;
import io.cdcenabler.steps.ChangeSummary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutputTest {
    @Test
    void printChanges_abbreviatesByTheRuleOfTheWorkflowOutcome() {
        List<Change> changes = IntStream.rangeClosed(1, 11)
                .mapToObj(i -> new Change("granted SELECT to cdc on", "public.t" + i)).toList();
        StringWriter text = new StringWriter();

        new Output().printChanges(new PrintWriter(text, true), changes);

        List<String> expected = ChangeSummary.lines(changes).stream().map(line -> "  " + line).toList();
        assertThat(text.toString().lines().toList()).containsExactly(expected.get(0), "11 change(s).");
    }
}
