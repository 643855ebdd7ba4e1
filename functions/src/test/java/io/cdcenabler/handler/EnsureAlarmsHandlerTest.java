package io.cdcenabler.handler;

import static io.cdcenabler.testing.FakeRdsWorld.event;
import static io.cdcenabler.testing.FakeRdsWorld.invoke;
import static io.cdcenabler.testing.FakeRdsWorld.stateWith;
import static io.cdcenabler.testing.FakeRdsWorld.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.alarms.CloudWatchAlarmStore;
import io.cdcenabler.contract.EnvironmentVariables;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.steps.EnsureAlarmsStep;
import io.cdcenabler.testing.FakeCloudWatch;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;

class EnsureAlarmsHandlerTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:cdc-enabler-guardrails";
    private static final List<String> METRICS = List.of("ReplicationSlotDiskUsage", "OldestReplicationSlotLag",
            "TransactionLogsDiskUsage", "FreeStorageSpace");

    private final FakeRds rds = FakeRdsWorld.standard();
    private final FakeCloudWatch cloudWatch = new FakeCloudWatch();
    private final DescribeTargetHandler describe =
            new DescribeTargetHandler(new TargetResolver(rds, FakeRdsWorld.DEFAULTS));
    private final EnsureAlarmsHandler handler = handler(TOPIC);

    private EnsureAlarmsHandler handler(String topic) {
        return new EnsureAlarmsHandler(new EnsureAlarmsStep(new CloudWatchAlarmStore(cloudWatch), topic));
    }

    private ObjectNode stateFor(String input) {
        return stateWith(input, invoke(describe, input));
    }

    @Test
    void instance_getsItsFourAlarmsOnTheInstanceMetrics_taggedAndNotifyingTheTopic_andARerunWritesNothing() {
        ObjectNode state = stateFor(event("manual-instance.json"));

        JsonNode first = invoke(handler, text(state));

        List<String> names = METRICS.stream().map(m -> "cdc-enabler/instance/orders-db/" + m).toList();
        assertThat(first.path("skipped").asBoolean()).isFalse();
        assertThat(first.path("created").toString()).contains(names);
        assertThat(cloudWatch.alarms().keySet()).containsExactlyInAnyOrderElementsOf(names);
        for (String name : names) {
            MetricAlarm alarm = cloudWatch.alarms().get(name);
            assertThat(alarm.alarmActions()).containsExactly(TOPIC);
            assertThat(alarm.dimensions()).containsExactly(
                    Dimension.builder().name("DBInstanceIdentifier").value("orders-db").build());
            assertThat(cloudWatch.tagsOf(name)).containsEntry("managed-by", "cdc-enabler")
                    .containsEntry("cdc-enabler:target", "instance/orders-db");
        }
        int writes = cloudWatch.writes();

        JsonNode again = invoke(handler, text(state));

        assertThat(again.path("created").size()).isZero();
        assertThat(again.path("updated").size()).isZero();
        assertThat(again.path("unchanged").size()).isEqualTo(4);
        assertThat(cloudWatch.writes()).as("a re-run only reads").isEqualTo(writes);
        assertThat(cloudWatch.alarms()).hasSize(4);
    }

    @Test
    void auroraCluster_alarmsOnTheClusterWriterRole() {
        ObjectNode state = stateFor(event("manual-aurora-cluster.json"));

        JsonNode outcome = invoke(handler, text(state));

        assertThat(outcome.path("created").size()).isPositive();
        assertThat(cloudWatch.alarms().keySet()).allMatch(name -> name.startsWith("cdc-enabler/cluster/orders-aurora/"));
        assertThat(cloudWatch.alarms().values()).allSatisfy(alarm -> assertThat(alarm.dimensions()).containsExactlyInAnyOrder(
                Dimension.builder().name("DBClusterIdentifier").value("orders-aurora").build(),
                Dimension.builder().name("Role").value("WRITER").build()));
    }

    @Test
    void multiAzDbCluster_isSkippedWithTheReason_andCreatesNothing() {
        JsonNode outcome = invoke(handler, text(stateFor(event("manual-multi-az-cluster.json"))));

        assertThat(outcome.path("skipped").asBoolean()).isTrue();
        assertThat(outcome.path("skipReason").asText()).contains("Multi-AZ DB cluster orders-maz");
        assertThat(cloudWatch.alarms()).isEmpty();
        assertThat(cloudWatch.calls("DescribeAlarms")).isZero();
    }

    @Test
    void missingTopicVariable_isAClearError_beforeAnyCall() {
        ObjectNode state = stateFor(event("manual-instance.json"));

        assertThatThrownBy(() -> invoke(handler(null), text(state)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(EnvironmentVariables.ALARM_TOPIC_ARN)
                .hasMessageContaining("no alarm was changed");
        assertThat(cloudWatch.calls("DescribeAlarms") + cloudWatch.writes()).isZero();
    }

    @Test
    void throttling_isAbsorbed_andTheAlarmsAreCreatedOnce() {
        cloudWatch.throttleNext(2);

        invoke(handler, text(stateFor(event("manual-instance.json"))));

        assertThat(cloudWatch.alarms()).hasSize(4);
        assertThat(cloudWatch.calls("PutMetricAlarm")).isEqualTo(4);
    }

    @Test
    void missingTarget_isTheNamedInputError() {
        assertThatThrownBy(() -> invoke(handler, "{}"))
                .isInstanceOf(io.cdcenabler.workflow.InvalidInputException.class);
    }
}
