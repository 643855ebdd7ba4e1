package io.cdcenabler.alarms;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * When the guardrail alarms fire. The defaults ({@link #DEFAULTS}) are absolute, because the alarm is made before
 * anyone knows how fast the database writes WAL, and sized to page a person while there is still time to act on a
 * typical 100 GiB+ production volume: a slot retaining more than 10 GiB (ReplicationSlotDiskUsage), the oldest slot
 * more than 10 GiB behind (OldestReplicationSlotLag), more than 20 GiB of WAL on disk (TransactionLogsDiskUsage), or
 * less than 10 GiB of free storage (FreeStorageSpace). Each must hold for {@code evaluationPeriods} periods of
 * {@code period} (default 3 x 5 min: a 15-minute trend, not a spike such as a consumer restart). A caller with small
 * or very large volumes overrides them with {@link #with} and {@link #withEvaluation}.
 *
 * @param bytes the threshold of every {@link GuardrailMetric}, in bytes: above it alarms, below it for free storage
 * @param period the period of each datapoint: 60 seconds or a multiple of it
 * @param evaluationPeriods how many consecutive periods must breach, 1 to 288 (24 h of 5-minute periods)
 */
public record AlarmThresholds(Map<GuardrailMetric, Long> bytes, Duration period, int evaluationPeriods) {
    private static final long GIB = 1024L * 1024 * 1024;

    public static final AlarmThresholds DEFAULTS = new AlarmThresholds(Map.of(
            GuardrailMetric.REPLICATION_SLOT_DISK_USAGE, 10 * GIB,
            GuardrailMetric.OLDEST_REPLICATION_SLOT_LAG, 10 * GIB,
            GuardrailMetric.TRANSACTION_LOGS_DISK_USAGE, 20 * GIB,
            GuardrailMetric.FREE_STORAGE_SPACE, 10 * GIB), Duration.ofMinutes(5), 3);

    public AlarmThresholds {
        Map<GuardrailMetric, Long> copy = new EnumMap<>(GuardrailMetric.class);
        for (GuardrailMetric metric : GuardrailMetric.values()) {
            Long value = bytes == null ? null : bytes.get(metric);
            if (value == null || value <= 0) {
                throw new IllegalArgumentException("bytes." + metric.metricName() + ": expected a positive number "
                        + "of bytes, got " + value);
            }
            copy.put(metric, value);
        }
        bytes = Map.copyOf(copy);
        if (period == null || period.getSeconds() < 60 || period.getSeconds() % 60 != 0 || period.getNano() != 0) {
            throw new IllegalArgumentException("period: expected 60 seconds or a multiple of 60 seconds (RDS "
                    + "publishes these metrics every minute), got " + period);
        }
        if (evaluationPeriods < 1 || evaluationPeriods > 288) {
            throw new IllegalArgumentException("evaluationPeriods: expected 1 to 288, got " + evaluationPeriods);
        }
    }

    /** These thresholds with one metric's threshold replaced. */
    public AlarmThresholds with(GuardrailMetric metric, long newBytes) {
        Map<GuardrailMetric, Long> changed = new EnumMap<>(bytes);
        changed.put(metric, newBytes);
        return new AlarmThresholds(changed, period, evaluationPeriods);
    }

    /** These thresholds with another period and number of evaluation periods. */
    public AlarmThresholds withEvaluation(Duration newPeriod, int newEvaluationPeriods) {
        return new AlarmThresholds(bytes, newPeriod, newEvaluationPeriods);
    }

    /** The threshold of {@code metric}, in bytes. */
    public long thresholdOf(GuardrailMetric metric) {
        return bytes.get(metric);
    }
}
