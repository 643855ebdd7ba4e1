package io.cdcenabler.postgres;

import java.time.Duration;

/**
 * How the engine treats locks on user tables: every ALTER waits at most {@code lockTimeout}, commits every
 * {@code batchSize} tables (so it never holds more locks than that), and retries a timed-out table up to
 * {@code maxAttempts} times, sleeping {@code initialBackoff} doubled after each attempt.
 */
public record LockPolicy(Duration lockTimeout, int batchSize, int maxAttempts, Duration initialBackoff) {

    public static final LockPolicy DEFAULT = new LockPolicy(Duration.ofSeconds(3), 500, 4, Duration.ofSeconds(1));

    public LockPolicy {
        if (lockTimeout == null || lockTimeout.isNegative() || lockTimeout.isZero()) {
            throw new InvalidSpecException("lockTimeout must be positive, was " + lockTimeout);
        }
        if (lockTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidSpecException("lockTimeout must be below " + Integer.MAX_VALUE + " ms, was " + lockTimeout);
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new InvalidSpecException("batchSize must be between 1 and 10000, was " + batchSize);
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new InvalidSpecException("maxAttempts must be between 1 and 20, was " + maxAttempts);
        }
        if (initialBackoff == null || initialBackoff.isNegative()) {
            throw new InvalidSpecException("initialBackoff must not be negative, was " + initialBackoff);
        }
    }

    public LockPolicy withBatchSize(int size) {
        return new LockPolicy(lockTimeout, size, maxAttempts, initialBackoff);
    }

    /** The value for {@code SET lock_timeout}, in milliseconds. */
    String lockTimeoutSetting() {
        return lockTimeout.toMillis() + "ms";
    }
}
