package io.cdcenabler.alarms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.testing.FakeCloudWatch;
import io.cdcenabler.workflow.ThrottledException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;

class AlarmEnsurerTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:cdc-enabler-alarms";
    private static final AlarmTarget INSTANCE = AlarmTarget.instance("orders-db");
    private static final AlarmTarget CLUSTER = AlarmTarget.auroraCluster("orders-db");

    private final FakeCloudWatch cloudWatch = new FakeCloudWatch();
    private final List<Duration> sleeps = new ArrayList<>();
    private final AlarmStore store = new CloudWatchAlarmStore(cloudWatch, new ThrottleBackoff(sleeps::add));

    private AlarmEnsurer ensurer(AlarmThresholds thresholds) {
        return new AlarmEnsurer(store, new AlarmPlanner(TOPIC, thresholds));
    }

    @Test
    void ensure_instance_createsTheFourAlarmsOnItsInstanceMetricsTaggedAndNotifyingTheTopic() {
        AlarmChanges changes = ensurer(AlarmThresholds.DEFAULTS).ensure(INSTANCE);

        assertThat(changes.created()).containsExactly(
                "cdc-enabler/instance/orders-db/ReplicationSlotDiskUsage",
                "cdc-enabler/instance/orders-db/OldestReplicationSlotLag",
                "cdc-enabler/instance/orders-db/TransactionLogsDiskUsage",
                "cdc-enabler/instance/orders-db/FreeStorageSpace");
        assertThat(cloudWatch.alarms()).containsOnlyKeys(changes.created());
        MetricAlarm free = cloudWatch.alarms().get("cdc-enabler/instance/orders-db/FreeStorageSpace");
        assertThat(free.namespace()).isEqualTo("AWS/RDS");
        assertThat(free.dimensions()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("DBInstanceIdentifier");
            assertThat(d.value()).isEqualTo("orders-db");
        });
        assertThat(free.comparisonOperatorAsString()).isEqualTo("LessThanThreshold");
        assertThat(free.statisticAsString()).isEqualTo("Minimum");
        assertThat(free.alarmActions()).containsExactly(TOPIC);
        assertThat(free.okActions()).containsExactly(TOPIC);
        MetricAlarm slot = cloudWatch.alarms().get("cdc-enabler/instance/orders-db/ReplicationSlotDiskUsage");
        assertThat(slot.comparisonOperatorAsString()).isEqualTo("GreaterThanThreshold");
        assertThat(slot.threshold()).isEqualTo(10.0 * 1024 * 1024 * 1024);
        assertThat(slot.period()).isEqualTo(300);
        assertThat(slot.evaluationPeriods()).isEqualTo(3);
        assertThat(slot.treatMissingData()).isEqualTo("notBreaching");
        assertThat(cloudWatch.tagsOf(slot.alarmName()))
                .containsEntry("managed-by", "cdc-enabler")
                .containsEntry("cdc-enabler:target", "instance/orders-db");
    }

    @Test
    void ensure_auroraCluster_usesTheWriterRoleMetricsAndSkipsFreeStorageSpace() {
        AlarmChanges changes = ensurer(AlarmThresholds.DEFAULTS).ensure(CLUSTER);

        assertThat(changes.created()).containsExactly(
                "cdc-enabler/cluster/orders-db/ReplicationSlotDiskUsage",
                "cdc-enabler/cluster/orders-db/OldestReplicationSlotLag",
                "cdc-enabler/cluster/orders-db/TransactionLogsDiskUsage");
        for (MetricAlarm alarm : cloudWatch.alarms().values()) {
            assertThat(alarm.dimensions()).extracting(d -> d.name() + "=" + d.value())
                    .containsExactlyInAnyOrder("DBClusterIdentifier=orders-db", "Role=WRITER");
        }
    }

    @Test
    void ensure_reRun_writesNothing() {
        AlarmEnsurer ensurer = ensurer(AlarmThresholds.DEFAULTS);
        ensurer.ensure(INSTANCE);
        ensurer.ensure(CLUSTER);
        Map<String, MetricAlarm> before = cloudWatch.alarms();
        int writes = cloudWatch.writes();

        AlarmChanges instance = ensurer.ensure(INSTANCE);
        AlarmChanges cluster = ensurer.ensure(CLUSTER);

        assertThat(instance.changedNothing()).isTrue();
        assertThat(instance.unchanged()).hasSize(4);
        assertThat(cluster.changedNothing()).isTrue();
        assertThat(cluster.unchanged()).hasSize(3);
        assertThat(cloudWatch.writes()).isEqualTo(writes);
        assertThat(cloudWatch.alarms()).isEqualTo(before);
    }

    @Test
    void ensure_withChangedThreshold_updatesOnlyThatAlarmAndKeepsItsTags() {
        ensurer(AlarmThresholds.DEFAULTS).ensure(INSTANCE);
        int puts = cloudWatch.calls("PutMetricAlarm");

        AlarmChanges changes = ensurer(AlarmThresholds.DEFAULTS
                .with(GuardrailMetric.OLDEST_REPLICATION_SLOT_LAG, 5L << 30)).ensure(INSTANCE);

        String lag = "cdc-enabler/instance/orders-db/OldestReplicationSlotLag";
        assertThat(changes.updated()).containsExactly(lag);
        assertThat(changes.created()).isEmpty();
        assertThat(changes.unchanged()).hasSize(3);
        assertThat(cloudWatch.calls("PutMetricAlarm")).isEqualTo(puts + 1);
        assertThat(cloudWatch.alarms().get(lag).threshold()).isEqualTo(5.0 * 1024 * 1024 * 1024);
        assertThat(cloudWatch.tagsOf(lag)).containsEntry("managed-by", "cdc-enabler");
    }

    @Test
    void ensure_deletesOurAlarmsOfTheTargetThatThePlanNoLongerHas_acrossPagesAndDeleteBatches() {
        for (int i = 0; i < 150; i++) {
            store.put(stale(INSTANCE, "RetiredMetric" + i), AlarmNames.tagsOf(INSTANCE));
        }
        int describes = cloudWatch.calls("DescribeAlarms");

        AlarmChanges changes = ensurer(AlarmThresholds.DEFAULTS).ensure(INSTANCE);

        assertThat(changes.deleted()).hasSize(150);
        assertThat(changes.created()).hasSize(4);
        assertThat(cloudWatch.alarms()).hasSize(4);
        assertThat(cloudWatch.calls("DescribeAlarms") - describes).isEqualTo(2);
        assertThat(cloudWatch.calls("DeleteAlarms")).isEqualTo(2);
    }

    @Test
    void remove_deletesEveryAlarmOfThatTargetOnly() {
        AlarmEnsurer ensurer = ensurer(AlarmThresholds.DEFAULTS);
        AlarmTarget neighbour = AlarmTarget.instance("orders-db-2");
        ensurer.ensure(INSTANCE);
        ensurer.ensure(CLUSTER);
        ensurer.ensure(neighbour);

        AlarmChanges instance = ensurer.remove(INSTANCE);
        AlarmChanges cluster = ensurer.remove(CLUSTER);

        assertThat(instance.deleted()).hasSize(4);
        assertThat(cluster.deleted()).hasSize(3);
        assertThat(cloudWatch.alarms()).containsOnlyKeys(ensurer.ensure(neighbour).unchanged());
        assertThat(cloudWatch.alarms()).hasSize(4);
    }

    @Test
    void remove_reRun_findsNothingAndWritesNothing() {
        AlarmEnsurer ensurer = ensurer(AlarmThresholds.DEFAULTS);
        ensurer.ensure(CLUSTER);
        ensurer.remove(CLUSTER);
        int writes = cloudWatch.writes();

        AlarmChanges again = ensurer.remove(CLUSTER);

        assertThat(again.deleted()).isEmpty();
        assertThat(cloudWatch.writes()).isEqualTo(writes);
    }

    @Test
    void ensureAndRemove_leaveAnUntaggedAlarmUnderOurPrefixAloneAndReportIt() {
        String slotName = AlarmNames.nameOf(INSTANCE, GuardrailMetric.REPLICATION_SLOT_DISK_USAGE);
        String strayName = AlarmNames.prefixOf(INSTANCE) + "SomeonesAlarm";
        store.put(stale(INSTANCE, "SomeonesAlarm"), Map.of());
        store.put(new AlarmDefinition(slotName, stale(INSTANCE, "x").metric(), stale(INSTANCE, "x").condition(),
                new AlarmDefinition.Notification("made by hand", List.of(), List.of())), Map.of());
        AlarmEnsurer ensurer = ensurer(AlarmThresholds.DEFAULTS);

        AlarmChanges ensured = ensurer.ensure(INSTANCE);
        AlarmChanges removed = ensurer.remove(INSTANCE);

        assertThat(ensured.foreign()).containsExactlyInAnyOrder(slotName, strayName);
        assertThat(ensured.created()).hasSize(3);
        assertThat(removed.foreign()).containsExactlyInAnyOrder(slotName, strayName);
        assertThat(cloudWatch.alarms()).containsOnlyKeys(slotName, strayName);
        assertThat(cloudWatch.alarms().get(slotName).alarmDescription()).isEqualTo("made by hand");
    }

    @Test
    void ensure_whenThrottled_backsOffAndSucceeds() {
        cloudWatch.throttleNext(5);

        AlarmChanges changes = ensurer(AlarmThresholds.DEFAULTS).ensure(INSTANCE);

        assertThat(changes.created()).hasSize(4);
        assertThat(cloudWatch.alarms()).hasSize(4);
        assertThat(sleeps).hasSize(5);
        assertThat(sleeps).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(5)));
    }

    @Test
    void ensure_whenThrottledBeyondTheAttempts_throwsTheWorkflowsThrottledException() {
        cloudWatch.throttleNext(ThrottleBackoff.MAX_ATTEMPTS);

        assertThatThrownBy(() -> ensurer(AlarmThresholds.DEFAULTS).ensure(INSTANCE))
                .isInstanceOf(ThrottledException.class)
                .hasMessageContaining("DescribeAlarms")
                .hasMessageContaining("Throttling");
        assertThat(cloudWatch.alarms()).isEmpty();
    }

    @Test
    void putMetricAlarmRequest_roundTripsThroughDescribeAlarmsToAnEqualDefinition() {
        AlarmDefinition planned = new AlarmPlanner(TOPIC, AlarmThresholds.DEFAULTS).plan(CLUSTER).get(0);
        PutMetricAlarmRequest request = CloudWatchAlarmStore.requestFor(planned, Map.of());

        cloudWatch.putMetricAlarm(request);

        assertThat(store.findByPrefix(planned.name())).singleElement()
                .satisfies(found -> assertThat(found.definition()).isEqualTo(planned));
    }

    private static AlarmDefinition stale(AlarmTarget target, String metricName) {
        return new AlarmDefinition(AlarmNames.prefixOf(target) + metricName,
                new AlarmDefinition.Metric("AWS/RDS", metricName, Map.of("DBInstanceIdentifier", target.identifier()),
                        "Maximum"),
                new AlarmDefinition.Condition("GreaterThanThreshold", 1, new AlarmDefinition.Window(60, 1, 1),
                        "missing"),
                new AlarmDefinition.Notification("", List.of(), List.of()));
    }
}
