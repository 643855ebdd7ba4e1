package io.cdcenabler.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.postgres.Change;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ChangeSummaryTest {
    private static List<Change> grants(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> new Change("granted SELECT to cdc on", "public.t" + i))
                .toList();
    }

    @Test
    void lines_whenAnActionHasAtMostTheListedNumber_listsEachChange() {
        assertThat(ChangeSummary.lines(grants(ChangeSummary.LISTED_PER_ACTION)))
                .hasSize(ChangeSummary.LISTED_PER_ACTION)
                .first().isEqualTo(new Change("granted SELECT to cdc on", "public.t1").toString());
    }

    @Test
    void lines_whenAnActionHasMore_summarizesItInOneLineAndKeepsOtherActionsListed() {
        List<Change> changes = new ArrayList<>(grants(11));
        changes.add(new Change("created role", "cdc"));

        assertThat(ChangeSummary.lines(changes)).containsExactly(
                "granted SELECT to cdc on public.t1, public.t2, public.t3, public.t4, public.t5 and 6 more (11 in all)",
                new Change("created role", "cdc").toString());
    }
}
