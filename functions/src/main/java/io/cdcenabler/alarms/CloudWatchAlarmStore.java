package io.cdcenabler.alarms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/**
 * The {@link AlarmStore} on the CloudWatch SDK client: DescribeAlarms by name prefix, page by page (100 per page,
 * the most it returns); PutMetricAlarm; ListTagsForResource; DeleteAlarms. Every call goes through
 * {@link ThrottleBackoff}. Build the client once per container (it is thread-safe) with bounded call timeouts.
 */
public final class CloudWatchAlarmStore implements AlarmStore {
    /** The most alarms one DescribeAlarms page returns. */
    static final int PAGE_SIZE = 100;

    private final CloudWatchClient cloudWatch;
    private final ThrottleBackoff backoff;

    public CloudWatchAlarmStore(CloudWatchClient cloudWatch) {
        this(cloudWatch, ThrottleBackoff.sleeping());
    }

    CloudWatchAlarmStore(CloudWatchClient cloudWatch, ThrottleBackoff backoff) {
        this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    @Override
    public List<StoredAlarm> findByPrefix(String prefix) {
        List<StoredAlarm> found = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            DescribeAlarmsResponse response = backoff.call("DescribeAlarms " + prefix, () ->
                    cloudWatch.describeAlarms(b -> b.alarmNamePrefix(prefix).maxRecords(PAGE_SIZE).nextToken(page)));
            for (MetricAlarm alarm : response.metricAlarms()) {
                found.add(new StoredAlarm(alarm.alarmArn(), definitionOf(alarm)));
            }
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return found;
    }

    @Override
    public void put(AlarmDefinition alarm, Map<String, String> tags) {
        PutMetricAlarmRequest request = requestFor(alarm, tags);
        backoff.call("PutMetricAlarm " + alarm.name(), () -> cloudWatch.putMetricAlarm(request));
    }

    @Override
    public Map<String, String> tagsOf(String alarmArn) {
        try {
            Map<String, String> tags = new TreeMap<>();
            backoff.call("ListTagsForResource " + alarmArn, () -> cloudWatch.listTagsForResource(
                    b -> b.resourceARN(alarmArn))).tags().forEach(tag -> tags.put(tag.key(), tag.value()));
            return tags;
        } catch (ResourceNotFoundException e) {
            return Map.of();
        }
    }

    @Override
    public void delete(List<String> names) {
        if (names.size() > MAX_DELETE_BATCH) {
            throw new IllegalArgumentException("names: expected at most " + MAX_DELETE_BATCH
                    + " alarm names per DeleteAlarms call, got " + names.size());
        }
        if (names.isEmpty()) {
            return;
        }
        try {
            backoff.call("DeleteAlarms " + names, () -> cloudWatch.deleteAlarms(b -> b.alarmNames(names)));
        } catch (ResourceNotFoundException e) {
            // CloudWatch still deletes the names that exist; one already gone is what we wanted.
        }
    }

    static PutMetricAlarmRequest requestFor(AlarmDefinition alarm, Map<String, String> tags) {
        AlarmDefinition.Metric metric = alarm.metric();
        AlarmDefinition.Condition condition = alarm.condition();
        AlarmDefinition.Window window = condition.window();
        return PutMetricAlarmRequest.builder()
                .alarmName(alarm.name())
                .alarmDescription(alarm.notification().description())
                .actionsEnabled(true)
                .alarmActions(alarm.notification().alarmActions())
                .okActions(alarm.notification().okActions())
                .namespace(metric.namespace())
                .metricName(metric.metricName())
                .dimensions(metric.dimensions().entrySet().stream()
                        .map(d -> Dimension.builder().name(d.getKey()).value(d.getValue()).build()).toList())
                .statistic(metric.statistic())
                .comparisonOperator(condition.comparisonOperator())
                .threshold(condition.threshold())
                .period(window.periodSeconds())
                .evaluationPeriods(window.evaluationPeriods())
                .datapointsToAlarm(window.datapointsToAlarm())
                .treatMissingData(condition.treatMissingData())
                .tags(tags.entrySet().stream()
                        .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())
                .build();
    }

    static AlarmDefinition definitionOf(MetricAlarm alarm) {
        Map<String, String> dimensions = new TreeMap<>();
        alarm.dimensions().forEach(d -> dimensions.put(d.name(), d.value()));
        int evaluationPeriods = alarm.evaluationPeriods() == null ? 0 : alarm.evaluationPeriods();
        AlarmDefinition.Window window = new AlarmDefinition.Window(alarm.period() == null ? 0 : alarm.period(),
                evaluationPeriods, alarm.datapointsToAlarm() == null ? evaluationPeriods : alarm.datapointsToAlarm());
        AlarmDefinition.Condition condition = new AlarmDefinition.Condition(
                Objects.toString(alarm.comparisonOperatorAsString(), ""),
                alarm.threshold() == null ? Double.NaN : alarm.threshold(), window,
                alarm.treatMissingData() == null ? "missing" : alarm.treatMissingData());
        AlarmDefinition.Metric metric = new AlarmDefinition.Metric(Objects.toString(alarm.namespace(), ""),
                Objects.toString(alarm.metricName(), ""), dimensions, Objects.toString(alarm.statisticAsString(), ""));
        return new AlarmDefinition(alarm.alarmName(), metric, condition, new AlarmDefinition.Notification(
                alarm.alarmDescription(), alarm.alarmActions(), alarm.okActions()));
    }
}
