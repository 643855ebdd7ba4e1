package io.cdcenabler.alarms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The alarms a target should have: one per {@link GuardrailMetric} that its engine publishes, on the writer's
 * metrics (a DB instance by {@code DBInstanceIdentifier}; an Aurora cluster by {@code DBClusterIdentifier} and
 * {@code Role=WRITER}), notifying the stack's SNS topic on ALARM and on OK.
 */
public final class AlarmPlanner {
    public static final String NAMESPACE = "AWS/RDS";
    public static final String INSTANCE_DIMENSION = "DBInstanceIdentifier";
    public static final String CLUSTER_DIMENSION = "DBClusterIdentifier";
    public static final String ROLE_DIMENSION = "Role";
    public static final String WRITER = "WRITER";
    private static final Pattern SNS_TOPIC_ARN = Pattern.compile("arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}");

    private final String topicArn;
    private final AlarmThresholds thresholds;

    /**
     * @param topicArn the SNS topic the alarms notify
     * @param thresholds when they fire ({@link AlarmThresholds#DEFAULTS} unless the caller knows better)
     */
    public AlarmPlanner(String topicArn, AlarmThresholds thresholds) {
        if (topicArn == null || !SNS_TOPIC_ARN.matcher(topicArn).matches()) {
            throw new IllegalArgumentException("topicArn: expected an SNS topic ARN "
                    + "(arn:aws:sns:<region>:<account>:<name>), got " + (topicArn == null ? "null" : "'" + topicArn + "'"));
        }
        this.topicArn = topicArn;
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    /** The alarms {@code target} should have, in {@link GuardrailMetric} order. */
    public List<AlarmDefinition> plan(AlarmTarget target) {
        List<AlarmDefinition> alarms = new ArrayList<>();
        for (GuardrailMetric metric : GuardrailMetric.values()) {
            if (metric.appliesTo(target)) {
                alarms.add(alarm(target, metric));
            }
        }
        return alarms;
    }

    private AlarmDefinition alarm(AlarmTarget target, GuardrailMetric metric) {
        long threshold = thresholds.thresholdOf(metric);
        int periods = thresholds.evaluationPeriods();
        AlarmDefinition.Window window =
                new AlarmDefinition.Window((int) thresholds.period().getSeconds(), periods, periods);
        AlarmDefinition.Condition condition = new AlarmDefinition.Condition(
                metric.above() ? "GreaterThanThreshold" : "LessThanThreshold", threshold, window,
                metric.treatMissingData());
        AlarmDefinition.Metric watched = new AlarmDefinition.Metric(NAMESPACE, metric.metricName(),
                dimensions(target), metric.above() ? "Maximum" : "Minimum");
        String description = "cdc-enabler guardrail: " + metric.metricName() + " of "
                + target.identifier() + (metric.above() ? " above " : " below ") + threshold + " bytes for "
                + periods + " x " + window.periodSeconds() + " s. " + advice(metric);
        return new AlarmDefinition(AlarmNames.nameOf(target, metric), watched, condition,
                new AlarmDefinition.Notification(description, List.of(topicArn), List.of(topicArn)));
    }

    private static Map<String, String> dimensions(AlarmTarget target) {
        return switch (target.kind()) {
            case INSTANCE -> Map.of(INSTANCE_DIMENSION, target.identifier());
            case AURORA_CLUSTER -> Map.of(CLUSTER_DIMENSION, target.identifier(), ROLE_DIMENSION, WRITER);
        };
    }

    private static String advice(GuardrailMetric metric) {
        return switch (metric) {
            case REPLICATION_SLOT_DISK_USAGE, OLDEST_REPLICATION_SLOT_LAG ->
                    "A replication slot's consumer is stopped or slow: run `cdc-enabler verify` to see which slot, "
                            + "then restart its consumer or drop the slot if it is abandoned.";
            case TRANSACTION_LOGS_DISK_USAGE ->
                    "WAL is piling up on disk, usually behind an inactive slot: check the slots' consumers.";
            case FREE_STORAGE_SPACE ->
                    "Storage is running out: fix the lagging consumer or add storage before the database stops.";
        };
    }
}
