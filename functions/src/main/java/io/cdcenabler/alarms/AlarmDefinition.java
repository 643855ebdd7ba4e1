package io.cdcenabler.alarms;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One metric alarm as CloudWatch stores it, in the parts the ensurer compares: two definitions are equal exactly
 * when PutMetricAlarm would change nothing. Tags are not part of it: PutMetricAlarm ignores them on an update.
 *
 * @param name the alarm name (unique per account and Region)
 * @param metric what is watched
 * @param condition when it is in ALARM
 * @param notification what it says and whom it tells
 */
public record AlarmDefinition(String name, Metric metric, Condition condition, Notification notification) {
    /** The longest alarm name CloudWatch accepts. */
    public static final int MAX_NAME_LENGTH = 255;

    public AlarmDefinition {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name: expected 1 to " + MAX_NAME_LENGTH + " characters, got "
                    + (name == null ? "null" : name.length() + " ('" + name + "')"));
        }
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(notification, "notification");
    }

    /**
     * @param namespace e.g. AWS/RDS
     * @param metricName e.g. ReplicationSlotDiskUsage
     * @param dimensions name to value, kept sorted by name so that equal sets compare equal
     * @param statistic Maximum, Minimum, ...
     */
    public record Metric(String namespace, String metricName, Map<String, String> dimensions, String statistic) {
        public Metric {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(metricName, "metricName");
            Objects.requireNonNull(statistic, "statistic");
            dimensions = Map.copyOf(new TreeMap<>(Objects.requireNonNull(dimensions, "dimensions")));
        }
    }

    /**
     * @param comparisonOperator e.g. GreaterThanThreshold
     * @param threshold the threshold in the metric's unit
     * @param window the periods evaluated
     * @param treatMissingData breaching, notBreaching, ignore or missing
     */
    public record Condition(String comparisonOperator, double threshold, Window window, String treatMissingData) {
        public Condition {
            Objects.requireNonNull(comparisonOperator, "comparisonOperator");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(treatMissingData, "treatMissingData");
        }
    }

    /**
     * @param periodSeconds seconds per datapoint
     * @param evaluationPeriods how many recent periods are evaluated
     * @param datapointsToAlarm how many of them must breach
     */
    public record Window(int periodSeconds, int evaluationPeriods, int datapointsToAlarm) {
    }

    /**
     * @param description the alarm description (shown in the notification)
     * @param alarmActions ARNs notified on entering ALARM, sorted
     * @param okActions ARNs notified on returning to OK, sorted
     */
    public record Notification(String description, List<String> alarmActions, List<String> okActions) {
        public Notification {
            description = description == null ? "" : description;
            alarmActions = alarmActions == null ? List.of() : alarmActions.stream().sorted().toList();
            okActions = okActions == null ? List.of() : okActions.stream().sorted().toList();
        }
    }
}
