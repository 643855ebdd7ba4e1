package io.cdcenabler.bench;

import io.cdcenabler.postgres.ProgressListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Times the engine's REPLICA IDENTITY FULL batches from its progress reports, which arrive after each committed
 * batch. The first report comes after the first batch, so the time of the batches alone is estimated: from the end
 * of the first batch to the end of the last, scaled up to all tables of that pass.
 */
final class BatchClock implements ProgressListener {
    private static final String PHASE = "REPLICA IDENTITY FULL";

    private final List<long[]> reports = new ArrayList<>();

    @Override
    public void progress(String phase, int done, int total) {
        long now = System.nanoTime();
        // Only the first pass, over all tables; later catch-up passes over tables created meanwhile are ignored.
        if (PHASE.equals(phase) && (reports.isEmpty() || reports.get(0)[2] == total && done > last()[1])) {
            reports.add(new long[] {now, done, total});
        }
    }

    /** The estimate; empty when the pass reported fewer than two batches. */
    Optional<Duration> estimate() {
        if (reports.size() < 2) {
            return Optional.empty();
        }
        long[] first = reports.get(0);
        long[] last = last();
        double nanosPerTable = (double) (last[0] - first[0]) / (last[1] - first[1]);
        return Optional.of(Duration.ofNanos(Math.round(nanosPerTable * first[2])));
    }

    private long[] last() {
        return reports.get(reports.size() - 1);
    }
}
