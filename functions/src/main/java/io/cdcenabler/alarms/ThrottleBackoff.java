package io.cdcenabler.alarms;

import io.cdcenabler.workflow.AwsUnreachableException;
import io.cdcenabler.workflow.ThrottledException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Retries a CloudWatch call that was throttled, with capped exponential backoff and full jitter (the scheme the AWS
 * SDKs use), on top of the SDK client's own retries: the alarm APIs have low per-account request rates
 * (PutMetricAlarm and DescribeAlarms are a few requests per second), and several runs can enrol databases at once.
 * What is still throttled after {@link #MAX_ATTEMPTS} becomes a {@link ThrottledException} for the state machine's
 * Retry; a network failure becomes an {@link AwsUnreachableException}; other service errors propagate.
 */
final class ThrottleBackoff {
    static final int MAX_ATTEMPTS = 8;
    private static final Duration BASE = Duration.ofMillis(200);
    private static final Duration CAP = Duration.ofSeconds(5);

    /** Waits between attempts; tests pass one that records instead of sleeping. */
    interface Sleeper {
        void sleep(Duration duration);
    }

    private final Sleeper sleeper;

    ThrottleBackoff(Sleeper sleeper) {
        this.sleeper = sleeper;
    }

    static ThrottleBackoff sleeping() {
        return new ThrottleBackoff(duration -> {
            try {
                Thread.sleep(duration.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ThrottledException("interrupted while backing off from CloudWatch throttling", e);
            }
        });
    }

    /** Runs {@code call}; {@code what} names the call and its subject for the messages. */
    <T> T call(String what, Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (AwsServiceException e) {
                if (!e.isThrottlingException()) {
                    throw e;
                }
                if (attempt >= MAX_ATTEMPTS) {
                    String code = e.awsErrorDetails() == null ? "throttled" : e.awsErrorDetails().errorCode();
                    throw new ThrottledException("CloudWatch throttled " + what + " " + attempt
                            + " times in a row (" + code + ")", e);
                }
                sleeper.sleep(delayBefore(attempt + 1));
            } catch (SdkClientException e) {
                throw new AwsUnreachableException(what + " failed before CloudWatch answered: " + e.getMessage(), e);
            }
        }
    }

    private static Duration delayBefore(int attempt) {
        long ceiling = Math.min(CAP.toMillis(), BASE.toMillis() << Math.min(attempt - 2, 10));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
