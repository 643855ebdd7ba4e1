package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.alarms.AlarmEnsurer;
import io.cdcenabler.alarms.AlarmPlanner;
import io.cdcenabler.alarms.AlarmTarget;
import io.cdcenabler.alarms.AlarmThresholds;
import io.cdcenabler.alarms.CloudWatchAlarmStore;
import io.cdcenabler.testing.FakeCloudWatch;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;

class AlarmsCommandTest {
    private static final String TOPIC = "arn:aws:sns:us-east-1:123456789012:cdc-enabler-guardrails";

    private final FakeCloudWatch cloudWatch = new FakeCloudWatch();
    private final List<String> regions = new ArrayList<>();

    private void enrol(AlarmTarget target) {
        new AlarmEnsurer(new CloudWatchAlarmStore(cloudWatch), new AlarmPlanner(TOPIC, AlarmThresholds.DEFAULTS))
                .ensure(target);
    }

    private CliRunner.Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CdcEnablerCommand command = new CdcEnablerCommand(new PasswordSources(name -> null,
                new ByteArrayInputStream(new byte[0])), name -> null, CliRunner.NO_AWS);
        command.cloudWatchClients = region -> {
            regions.add(String.valueOf(region));
            return cloudWatch;
        };
        int exit = command.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRunner.Result(exit, out.toString(), err.toString());
    }

    @Test
    void remove_deletesOnlyThatInstancesAlarms_printsThem_andASecondRemoveFindsNothing() {
        enrol(AlarmTarget.instance("orders-db"));
        enrol(AlarmTarget.instance("orders-db2"));
        enrol(AlarmTarget.auroraCluster("orders-db"));

        CliRunner.Result removed = run("alarms", "remove", "--instance", "Orders-DB", "--region", "eu-west-1");

        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(removed.out()).contains("removed cdc-enabler/instance/orders-db/FreeStorageSpace",
                "4 alarm(s) removed for cdc-enabler/instance/orders-db/");
        assertThat(regions).containsExactly("eu-west-1");
        assertThat(cloudWatch.alarms().keySet()).noneMatch(name -> name.startsWith("cdc-enabler/instance/orders-db/"))
                .anyMatch(name -> name.startsWith("cdc-enabler/instance/orders-db2/"))
                .anyMatch(name -> name.startsWith("cdc-enabler/cluster/orders-db/"));
        int deletes = cloudWatch.calls("DeleteAlarms");

        CliRunner.Result again = run("alarms", "remove", "--instance", "orders-db");

        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("0 alarm(s) removed");
        assertThat(cloudWatch.calls("DeleteAlarms")).as("nothing to delete, no call").isEqualTo(deletes);
    }

    @Test
    void remove_leavesAnUntaggedAlarmUnderThePrefix_andSaysSo() {
        enrol(AlarmTarget.auroraCluster("orders-aurora"));
        cloudWatch.putMetricAlarm(PutMetricAlarmRequest.builder().alarmName("cdc-enabler/cluster/orders-aurora/Mine")
                .namespace("AWS/RDS").metricName("CPUUtilization").statistic("Average").period(300)
                .evaluationPeriods(1).threshold(90.0).comparisonOperator("GreaterThanThreshold").build());

        CliRunner.Result removed = run("alarms", "remove", "--cluster", "orders-aurora");

        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(removed.out()).contains("left alone (not tagged managed-by=cdc-enabler) "
                + "cdc-enabler/cluster/orders-aurora/Mine");
        assertThat(cloudWatch.alarms().keySet()).containsExactly("cdc-enabler/cluster/orders-aurora/Mine");
    }

    @Test
    void list_printsTheTargetsAlarms_andWritesNothing() {
        enrol(AlarmTarget.instance("orders-db"));
        int writes = cloudWatch.writes();

        CliRunner.Result listed = run("alarms", "list", "--instance", "orders-db");

        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).contains("cdc-enabler/instance/orders-db/ReplicationSlotDiskUsage",
                "4 alarm(s) under cdc-enabler/instance/orders-db/");
        assertThat(cloudWatch.writes()).isEqualTo(writes);
    }

    @Test
    void badUsage_isExitTwo_withTheProblemNamed_andNoCall() {
        CliRunner.Result both = run("alarms", "remove", "--instance", "a", "--cluster", "b");
        CliRunner.Result badId = run("alarms", "remove", "--instance", "1-not-an-id");
        CliRunner.Result none = run("alarms", "remove");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(badId.exitCode()).isEqualTo(2);
        assertThat(badId.err()).contains("expected an RDS identifier");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(regions).isEmpty();
        assertThat(cloudWatch.calls("DescribeAlarms")).isZero();
    }
}
