package io.cdcenabler.cli;

import io.cdcenabler.postgres.LockPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How long a statement may wait for a lock on a user table, and how the engine batches and retries. */
final class LockOptions {
    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
            description = "Longest wait for a table lock per statement, e.g. 500ms, 3s (default: ${DEFAULT-VALUE})")
    Duration lockTimeout;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
            description = "Tables per committed batch of ALTERs (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "4",
            description = "Attempts per locked table, with exponential backoff (default: ${DEFAULT-VALUE})")
    int maxAttempts;

    @Option(names = "--retry-backoff", paramLabel = "DURATION", defaultValue = "1s",
            converter = DurationConverter.class,
            description = "Pause before the first retry, doubled after each (default: ${DEFAULT-VALUE})")
    Duration backoff;

    LockPolicy policy() {
        return new LockPolicy(lockTimeout, batchSize, maxAttempts, backoff);
    }
}
