package io.cdcenabler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;
import software.amazon.awssdk.services.cloudwatch.model.InvalidNextTokenException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterCombinationException;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.cloudwatch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatch.model.Tag;

/** The fake answers like CloudWatch, so that the ensurer's tests mean something. */
class FakeCloudWatchTest {
    private final FakeCloudWatch cloudWatch = new FakeCloudWatch();

    private static PutMetricAlarmRequest.Builder alarm(String name) {
        return PutMetricAlarmRequest.builder().alarmName(name).namespace("AWS/RDS").metricName("FreeStorageSpace")
                .statistic("Minimum").comparisonOperator("LessThanThreshold").threshold(1.0).period(300)
                .evaluationPeriods(3);
    }

    @Test
    void putMetricAlarm_nameLongerThan255_isAValidationError() {
        assertThatThrownBy(() -> cloudWatch.putMetricAlarm(alarm("a".repeat(256)).build()))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        cloudWatch.putMetricAlarm(alarm("a".repeat(255)).build());
        assertThat(cloudWatch.alarms()).hasSize(1);
    }

    @Test
    void putMetricAlarm_badPeriodOrWindowOrDatapoints_isInvalidParameterValue() {
        assertThatThrownBy(() -> cloudWatch.putMetricAlarm(alarm("a").period(90).build()))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> cloudWatch.putMetricAlarm(alarm("a").period(600).evaluationPeriods(145).build()))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThatThrownBy(() -> cloudWatch.putMetricAlarm(alarm("a").datapointsToAlarm(4).build()))
                .isInstanceOf(InvalidParameterValueException.class);
        assertThat(cloudWatch.alarms()).isEmpty();
    }

    @Test
    void putMetricAlarm_onAnExistingAlarm_replacesTheDefinitionAndIgnoresTheTags() {
        cloudWatch.putMetricAlarm(alarm("a").tags(Tag.builder().key("k").value("1").build()).build());

        cloudWatch.putMetricAlarm(alarm("a").threshold(2.0).tags(Tag.builder().key("k").value("2").build()).build());

        assertThat(cloudWatch.alarms().get("a").threshold()).isEqualTo(2.0);
        assertThat(cloudWatch.tagsOf("a")).containsExactlyEntriesOf(java.util.Map.of("k", "1"));
    }

    @Test
    void describeAlarms_pagesByPrefixInNameOrderAndRejectsBadInput() {
        for (int i = 0; i < 7; i++) {
            cloudWatch.putMetricAlarm(alarm("p/" + i).build());
        }
        cloudWatch.putMetricAlarm(alarm("q/0").build());
        List<String> names = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String page = token;
            DescribeAlarmsResponse response = cloudWatch.describeAlarms(b -> b.alarmNamePrefix("p/").maxRecords(3)
                    .nextToken(page));
            response.metricAlarms().forEach(a -> names.add(a.alarmName()));
            token = response.nextToken();
            pages++;
        } while (token != null);

        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("p/0", "p/1", "p/2", "p/3", "p/4", "p/5", "p/6");
        assertThatThrownBy(() -> cloudWatch.describeAlarms(b -> b.maxRecords(101)))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> cloudWatch.describeAlarms(b -> b.nextToken("made-up")))
                .isInstanceOf(InvalidNextTokenException.class);
        assertThatThrownBy(() -> cloudWatch.describeAlarms(b -> b.alarmNamePrefix("p/").alarmNames("p/0")))
                .isInstanceOf(InvalidParameterCombinationException.class);
    }

    @Test
    void deleteAlarms_moreThan100Names_isRefusedAndDeletesNothing() {
        cloudWatch.putMetricAlarm(alarm("a").build());
        List<String> names = new ArrayList<>(List.of("a"));
        for (int i = 0; i < 100; i++) {
            names.add("missing-" + i);
        }

        assertThatThrownBy(() -> cloudWatch.deleteAlarms(b -> b.alarmNames(names)))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThat(cloudWatch.alarms()).containsOnlyKeys("a");
    }

    @Test
    void deleteAlarms_withAnUnknownName_deletesTheOthersAndAnswersResourceNotFound() {
        cloudWatch.putMetricAlarm(alarm("a").build());

        assertThatThrownBy(() -> cloudWatch.deleteAlarms(b -> b.alarmNames("a", "nope")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(cloudWatch.alarms()).isEmpty();
    }

    @Test
    void throttleNext_failsTheNextCallsWithTheThrottlingCodeTheSdkRecognises() {
        cloudWatch.throttleNext(1);

        assertThatThrownBy(() -> cloudWatch.describeAlarms(b -> b.maxRecords(1)))
                .isInstanceOfSatisfying(AwsServiceException.class,
                        e -> assertThat(e.isThrottlingException()).isTrue());
        assertThat(cloudWatch.describeAlarms(b -> b.maxRecords(1)).metricAlarms()).isEmpty();
        assertThat(cloudWatch.calls("DescribeAlarms")).isEqualTo(2);
    }
}
