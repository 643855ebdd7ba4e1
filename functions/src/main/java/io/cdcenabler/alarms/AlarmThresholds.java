package io.cdcenabler.alarms;

import java.time.Duration;

/**
 * When the guardrail alarms fire. The defaults ({@link #DEFAULTS}) are absolute, because the alarm is made before
 * anyone knows how fast the database writes WAL, and sized to page a person while there is still time to act on a
 * typical 100 GiB+ production volume: a slot retaining more than 10 GiB, the oldest slot more than 10 GiB behind,
 * more than 20 GiB of WAL on disk, or less than 10 GiB of free storage. Each must hold for
 * {@code evaluationPeriods} periods of {@code period} (default 3 x 5 min: a 15-minute trend, not a spike such as a
 * consumer restart). A caller with small or very large volumes overrides them with {@link #with}.
 *
 * @param slotDiskUsageBytes ReplicationSlotDiskUsage above this alarms (Maximum)
 * @param oldestSlotLagBytes OldestReplicationSlotLag above this alarms (Maximum)
 * @param transactionLogsDiskUsageBytes TransactionLogsDiskUsage above this alarms (Maximum)
 * @param freeStorageBytes FreeStorageSpace below this alarms (Minimum; DB instances only)
 * @param period the period of each datapoint: 60 seconds or a multiple of it
 * @param evaluationPeriods how many consecutive periods must breach, 1 to 288 (24 h of 5-minute periods)
 */
public record AlarmThresholds(long slotDiskUsageBytes, long oldestSlotLagBytes, long transactionLogsDiskUsageBytes,
                              long freeStorageBytes, Duration period, int evaluationPeriods) {
    private static final long GIB = 1024L * 1024 * 1024;

    public static final AlarmThresholds DEFAULTS =
            new AlarmThresholds(10 * GIB, 10 * GIB, 20 * GIB, 10 * GIB, Duration.ofMinutes(5), 3);

    public AlarmThresholds {
        positive("slotDiskUsageBytes", slotDiskUsageBytes);
        positive("oldestSlotLagBytes", oldestSlotLagBytes);
        positive("transactionLogsDiskUsageBytes", transactionLogsDiskUsageBytes);
        positive("freeStorageBytes", freeStorageBytes);
        if (period == null || period.getSeconds() < 60 || period.getSeconds() % 60 != 0 || period.getNano() != 0) {
            throw new IllegalArgumentException("period: expected 60 seconds or a multiple of 60 seconds (RDS "
                    + "publishes these metrics every minute), got " + period);
        }
        if (evaluationPeriods < 1 || evaluationPeriods > 288) {
            throw new IllegalArgumentException("evaluationPeriods: expected 1 to 288, got " + evaluationPeriods);
        }
    }

    private static void positive(String field, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": expected a positive number of bytes, got " + value);
        }
    }

    /** These thresholds with one metric's threshold replaced. */
    public AlarmThresholds with(GuardrailMetric metric, long bytes) {
        return new AlarmThresholds(
                metric == GuardrailMetric.REPLICATION_SLOT_DISK_USAGE ? bytes : slotDiskUsageBytes,
                metric == GuardrailMetric.OLDEST_REPLICATION_SLOT_LAG ? bytes : oldestSlotLagBytes,
                metric == GuardrailMetric.TRANSACTION_LOGS_DISK_USAGE ? bytes : transactionLogsDiskUsageBytes,
                metric == GuardrailMetric.FREE_STORAGE_SPACE ? bytes : freeStorageBytes,
                period, evaluationPeriods);
    }

    /** These thresholds with another period and number of evaluation periods. */
    public AlarmThresholds withEvaluation(Duration newPeriod, int newEvaluationPeriods) {
        return new AlarmThresholds(slotDiskUsageBytes, oldestSlotLagBytes, transactionLogsDiskUsageBytes,
                freeStorageBytes, newPeriod, newEvaluationPeriods);
    }

    /** The threshold of {@code metric}, in bytes. */
    long thresholdOf(GuardrailMetric metric) {
        return switch (metric) {
            case REPLICATION_SLOT_DISK_USAGE -> slotDiskUsageBytes;
            case OLDEST_REPLICATION_SLOT_LAG -> oldestSlotLagBytes;
            case TRANSACTION_LOGS_DISK_USAGE -> transactionLogsDiskUsageBytes;
            case FREE_STORAGE_SPACE -> freeStorageBytes;
        };
    }
}
