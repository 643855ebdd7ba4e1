package io.cdcenabler.postgres;

import java.sql.SQLException;

/**
 * The engine's one retry on lock timeouts: up to {@link LockPolicy#maxAttempts()} attempts, sleeping
 * {@link LockPolicy#initialBackoff()} before the second and twice as long before each next one.
 */
final class LockRetry {

    /** One attempt; returns true when the work is done, false when a lock timed out and it should be tried again. */
    @FunctionalInterface
    interface Attempt {
        boolean run(int attempt) throws SQLException;
    }

    private LockRetry() {
    }

    /** Runs attempts until one is done; returns false when the last attempt still hit a lock timeout. */
    static boolean run(LockPolicy policy, Attempt attempt) throws SQLException {
        long backoff = policy.initialBackoff().toMillis();
        for (int number = 1; number <= policy.maxAttempts(); number++) {
            if (number > 1) {
                sleep(backoff);
                backoff *= 2;
            }
            if (attempt.run(number)) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdcEnablerException("interrupted while waiting to retry after a lock timeout", e);
        }
    }
}
