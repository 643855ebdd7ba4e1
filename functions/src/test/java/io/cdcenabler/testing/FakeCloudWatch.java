package io.cdcenabler.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.DeleteAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DeleteAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsRequest;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.ListTagsForResourceRequest;
import software.amazon.awssdk.services.cloudwatch.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmResponse;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/**
 * An in-memory CloudWatch for the metric-alarm calls cdc-enabler makes, with the service's documented behaviour:
 * PutMetricAlarm creates or replaces an alarm by name (1-255 characters, no control characters), keeps the ARN and
 * the tags of an existing alarm (tags in the request apply only on create), and validates period (10, 20, 30 or a
 * multiple of 60), the evaluation window (at most one day, seven with hour periods), DatapointsToAlarm, the
 * statistic, TreatMissingData, at most 5 actions per state and 50 tags; DescribeAlarms returns alarms by name or
 * name prefix (not both) in name order, MaxRecords 1-100 (default 50), with a NextToken per further page and
 * InvalidNextToken for one it never issued; DeleteAlarms takes at most 100 names, deletes those that exist and
 * answers ResourceNotFound when any did not; ListTagsForResource by alarm ARN. Throttling ("Throttling", HTTP 400,
 * what CloudWatch's query API answers) can be injected for the next calls. Every call is counted by operation.
 */
public final class FakeCloudWatch implements CloudWatchClient {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    private static final Set<String> STATISTICS = Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum");
    private static final Set<String> MISSING_DATA = Set.of("breaching", "notBreaching", "ignore", "missing");
    private static final int MAX_NAME = 255;
    private static final int MAX_PAGE = 100;
    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_DELETE = 100;

    private final Map<String, MetricAlarm> alarms = new TreeMap<>();
    private final Map<String, Map<String, String>> tagsByArn = new HashMap<>();
    private final Map<String, String> pageTokens = new HashMap<>();
    private final Map<String, Integer> calls = new LinkedHashMap<>();
    private int throttleNext;

    /** The next {@code count} calls (of any operation) fail with Throttling. */
    public synchronized void throttleNext(int count) {
        throttleNext = count;
    }

    /** How many times {@code operation} (e.g. "PutMetricAlarm") was called, throttled attempts included. */
    public synchronized int calls(String operation) {
        return calls.getOrDefault(operation, 0);
    }

    /** Calls of the operations that write: PutMetricAlarm, DeleteAlarms. */
    public synchronized int writes() {
        return calls("PutMetricAlarm") + calls("DeleteAlarms");
    }

    /** The alarms stored now, by name. */
    public synchronized Map<String, MetricAlarm> alarms() {
        return Map.copyOf(alarms);
    }

    /** The tags of the named alarm. */
    public synchronized Map<String, String> tagsOf(String alarmName) {
        MetricAlarm alarm = alarms.get(alarmName);
        return alarm == null ? Map.of() : Map.copyOf(tagsByArn.get(alarm.alarmArn()));
    }

    public static String arnOf(String alarmName) {
        return "arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":alarm:" + alarmName;
    }

    @Override
    public synchronized PutMetricAlarmResponse putMetricAlarm(PutMetricAlarmRequest request) {
        enter("PutMetricAlarm");
        validate(request);
        String name = request.alarmName();
        MetricAlarm existing = alarms.get(name);
        String arn = arnOf(name);
        alarms.put(name, MetricAlarm.builder()
                .alarmName(name).alarmArn(arn).alarmDescription(request.alarmDescription())
                .actionsEnabled(request.actionsEnabled() == null || request.actionsEnabled())
                .alarmActions(request.alarmActions()).okActions(request.okActions())
                .insufficientDataActions(request.insufficientDataActions())
                .namespace(request.namespace()).metricName(request.metricName()).dimensions(request.dimensions())
                .statistic(request.statisticAsString()).comparisonOperator(request.comparisonOperatorAsString())
                .threshold(request.threshold()).period(request.period())
                .evaluationPeriods(request.evaluationPeriods()).datapointsToAlarm(request.datapointsToAlarm())
                .treatMissingData(request.treatMissingData())
                .stateValue(existing == null ? StateValue.INSUFFICIENT_DATA : existing.stateValue())
                .build());
        if (existing == null) {
            Map<String, String> tags = new TreeMap<>();
            request.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
            tagsByArn.put(arn, tags);
        }
        return PutMetricAlarmResponse.builder().build();
    }

    private static void validate(PutMetricAlarmRequest request) {
        String name = request.alarmName();
        if (name == null) {
            throw missing("AlarmName");
        }
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw validation("Value '" + name + "' at 'alarmName' failed to satisfy constraint: Member must have "
                    + "length less than or equal to " + MAX_NAME + " and greater than or equal to 1");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw invalid("The alarm name must not contain ASCII control characters");
        }
        if (request.evaluationPeriods() == null || request.comparisonOperator() == null) {
            throw missing(request.evaluationPeriods() == null ? "EvaluationPeriods" : "ComparisonOperator");
        }
        if (request.metricName() == null || request.namespace() == null || request.period() == null
                || request.threshold() == null) {
            throw missing("MetricName, Namespace, Period and Threshold");
        }
        validateWindow(request);
        if (!STATISTICS.contains(request.statisticAsString())) {
            throw invalid("Statistic must be one of " + STATISTICS + ", got " + request.statisticAsString());
        }
        if (request.treatMissingData() != null && !MISSING_DATA.contains(request.treatMissingData())) {
            throw invalid("TreatMissingData must be one of " + MISSING_DATA + ", got " + request.treatMissingData());
        }
        if (request.alarmActions().size() > 5 || request.okActions().size() > 5) {
            throw validation("Member must have length less than or equal to 5 at 'alarmActions' or 'oKActions'");
        }
        if (request.tags().size() > 50 || request.tags().stream().map(Tag::key).anyMatch(k -> k.startsWith("aws:"))) {
            throw invalid("At most 50 tags, none with a key starting with aws:");
        }
    }

    private static void validateWindow(PutMetricAlarmRequest request) {
        int period = request.period();
        if (!(period == 10 || period == 20 || period == 30 || (period >= 60 && period % 60 == 0))) {
            throw invalid("The parameter Period must be 10, 20, 30 or a multiple of 60, got " + period);
        }
        int evaluations = request.evaluationPeriods();
        long window = (long) period * evaluations;
        if (evaluations < 1 || window > (period >= 3600 ? 7 * 86_400 : 86_400)) {
            throw invalid("Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be "
                    + "<= 86400), got " + window);
        }
        Integer datapoints = request.datapointsToAlarm();
        if (datapoints != null && (datapoints < 1 || datapoints > evaluations)) {
            throw invalid("DatapointsToAlarm must be between 1 and EvaluationPeriods, got " + datapoints);
        }
    }

    @Override
    public synchronized DescribeAlarmsResponse describeAlarms(DescribeAlarmsRequest request) {
        enter("DescribeAlarms");
        if (request.hasAlarmNames() && request.alarmNamePrefix() != null) {
            throw CloudWatchFault.of(InvalidParameterCombinationException.builder(), "InvalidParameterCombination",
                    "AlarmNames and AlarmNamePrefix cannot be specified together");
        }
        int size = request.maxRecords() == null ? DEFAULT_PAGE : request.maxRecords();
        if (size < 1 || size > MAX_PAGE) {
            throw validation("Value '" + size + "' at 'maxRecords' failed to satisfy constraint: Member must have "
                    + "value less than or equal to " + MAX_PAGE + " and greater than or equal to 1");
        }
        List<MetricAlarm> matching = new ArrayList<>();
        for (MetricAlarm alarm : alarms.values()) {
            boolean named = !request.hasAlarmNames() || request.alarmNames().contains(alarm.alarmName());
            boolean prefixed = request.alarmNamePrefix() == null || alarm.alarmName().startsWith(request.alarmNamePrefix());
            if (named && prefixed) {
                matching.add(alarm);
            }
        }
        int from = 0;
        if (request.nextToken() != null) {
            String after = pageTokens.get(request.nextToken());
            if (after == null) {
                throw CloudWatchFault.of(InvalidNextTokenException.builder(), "InvalidNextToken",
                        "The service returned an invalid or expired next token");
            }
            while (from < matching.size() && matching.get(from).alarmName().compareTo(after) <= 0) {
                from++;
            }
        }
        List<MetricAlarm> page = matching.subList(from, Math.min(matching.size(), from + size));
        DescribeAlarmsResponse.Builder response = DescribeAlarmsResponse.builder().metricAlarms(page);
        if (from + size < matching.size()) {
            String token = UUID.randomUUID().toString();
            pageTokens.put(token, page.get(page.size() - 1).alarmName());
            response.nextToken(token);
        }
        return response.build();
    }

    @Override
    public synchronized DeleteAlarmsResponse deleteAlarms(DeleteAlarmsRequest request) {
        enter("DeleteAlarms");
        if (!request.hasAlarmNames() || request.alarmNames().isEmpty()) {
            throw missing("AlarmNames");
        }
        if (request.alarmNames().size() > MAX_DELETE) {
            throw validation("Value at 'alarmNames' failed to satisfy constraint: Member must have length less than "
                    + "or equal to " + MAX_DELETE);
        }
        List<String> unknown = new ArrayList<>();
        for (String name : request.alarmNames()) {
            MetricAlarm removed = alarms.remove(name);
            if (removed == null) {
                unknown.add(name);
            } else {
                tagsByArn.remove(removed.alarmArn());
            }
        }
        if (!unknown.isEmpty()) {
            throw CloudWatchFault.of(ResourceNotFoundException.builder(), "ResourceNotFound",
                    "Alarms not found: " + unknown);
        }
        return DeleteAlarmsResponse.builder().build();
    }

    @Override
    public synchronized ListTagsForResourceResponse listTagsForResource(ListTagsForResourceRequest request) {
        enter("ListTagsForResource");
        Map<String, String> tags = tagsByArn.get(request.resourceARN());
        if (tags == null) {
            throw CloudWatchFault.of(ResourceNotFoundException.builder(), "ResourceNotFoundException",
                    request.resourceARN() + " not found");
        }
        return ListTagsForResourceResponse.builder().tags(tags.entrySet().stream()
                .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList()).build();
    }

    private void enter(String operation) {
        calls.merge(operation, 1, Integer::sum);
        if (throttleNext > 0) {
            throttleNext--;
            throw CloudWatchFault.of(CloudWatchException.builder(), "Throttling", "Rate exceeded");
        }
    }

    private static AwsServiceException missing(String parameter) {
        return CloudWatchFault.of(MissingRequiredParameterException.builder(), "MissingParameter",
                "The parameter " + parameter + " is required.");
    }

    private static AwsServiceException invalid(String message) {
        return CloudWatchFault.of(InvalidParameterValueException.builder(), "InvalidParameterValue", message);
    }

    private static AwsServiceException validation(String message) {
        return CloudWatchFault.of(CloudWatchException.builder(), "ValidationError", "1 validation error detected: "
                + message);
    }

    @Override
    public String serviceName() {
        return "cloudwatch";
    }

    @Override
    public void close() {
    }

    private static final class CloudWatchFault {
        static AwsServiceException of(AwsServiceException.Builder builder, String code, String message) {
            return builder.statusCode(400).message(message)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                    .build();
        }
    }
}
