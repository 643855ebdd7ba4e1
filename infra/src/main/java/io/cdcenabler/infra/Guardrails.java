package io.cdcenabler.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * The guardrails' shared resources: the SNS topic the per-database alarms notify (encrypted with a customer managed
 * key that CloudWatch may use, TLS only, optionally an e-mail subscription), and a dashboard that needs no edit when
 * databases come and go: every graph is a metric-math SEARCH over AWS/RDS, so each enrolled instance (by
 * DBInstanceIdentifier) and each Aurora writer (by DBClusterIdentifier and Role=WRITER) appears as its own line,
 * next to the state machine's executions and failures.
 */
public final class Guardrails extends Construct {
    /** The alarm-name prefix of io.cdcenabler.alarms.AlarmNames (infra does not depend on the functions module). */
    public static final String ALARM_NAME_PREFIX = "cdc-enabler/";
    /** The slot and WAL metrics the dashboard shows, in its order; FreeStorageSpace follows (instances only). */
    public static final List<String> SLOT_METRICS =
            List.of("ReplicationSlotDiskUsage", "OldestReplicationSlotLag", "TransactionLogsDiskUsage");
    public static final String FREE_STORAGE = "FreeStorageSpace";
    private static final Duration PERIOD = Duration.minutes(5);

    private final Topic topic;

    public Guardrails(Construct scope, String id, IStateMachine stateMachine, GuardrailsConfig config) {
        super(scope, id);
        topic = alarmTopic();
        if (config.alarmEmail() != null) {
            topic.addSubscription(new EmailSubscription(config.alarmEmail()));
        }
        CfnOutput.Builder.create(this, "AlarmTopicArn")
                .description("The SNS topic the guardrail alarms notify: subscribe your on-call endpoint to it")
                .value(topic.getTopicArn())
                .build();
        Dashboard.Builder.create(this, "Dashboard")
                .defaultInterval(Duration.days(1))
                .widgets(widgets(stateMachine))
                .build();
    }

    /** The alarm topic, for the step that creates the alarms. */
    public Topic topic() {
        return topic;
    }

    /** The SEARCH expression for {@code metric} over DB instances. */
    public static String instanceSearch(String metric, String statistic) {
        return "SEARCH('{AWS/RDS,DBInstanceIdentifier} MetricName=\"" + metric + "\"', '" + statistic + "', 300)";
    }

    /** The SEARCH expression for {@code metric} over Aurora writers. */
    public static String writerSearch(String metric, String statistic) {
        return "SEARCH('{AWS/RDS,DBClusterIdentifier,Role} Role=\"WRITER\" MetricName=\"" + metric + "\"', '"
                + statistic + "', 300)";
    }

    private Topic alarmTopic() {
        Key key = Key.Builder.create(this, "AlarmTopicKey")
                .description("Encrypts the cdc-enabler guardrail alarm topic; CloudWatch alarms may use it to publish")
                .enableKeyRotation(true)
                .build();
        // CloudWatch cannot publish to a topic under the AWS managed SNS key: it needs these two on our own key.
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(fromOurAlarms())
                .build());
        Topic alarmTopic = Topic.Builder.create(this, "AlarmTopic")
                .displayName("cdc-enabler guardrails")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        alarmTopic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CdcEnablerAlarmsPublish")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(alarmTopic.getTopicArn()))
                .conditions(fromOurAlarms())
                .build());
        return alarmTopic;
    }

    /** Only alarms of this account named like ours (no confused deputy): for the key and the topic policy alike. */
    private static Map<String, Object> fromOurAlarms() {
        return Map.of(
                "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID),
                "ArnLike", Map.of("aws:SourceArn", "arn:" + Aws.PARTITION + ":cloudwatch:" + Aws.REGION + ":"
                        + Aws.ACCOUNT_ID + ":alarm:" + ALARM_NAME_PREFIX + "*"));
    }

    private static List<List<IWidget>> widgets(IStateMachine stateMachine) {
        List<IWidget> databases = new ArrayList<>();
        for (String metric : SLOT_METRICS) {
            databases.add(graph(metric + " (bytes, maximum)", List.of(
                    search(instanceSearch(metric, "Maximum"), "instance"),
                    search(writerSearch(metric, "Maximum"), "Aurora writer"))));
        }
        databases.add(graph(FREE_STORAGE + " (bytes, minimum; DB instances)", List.of(
                search(instanceSearch(FREE_STORAGE, "Minimum"), "instance"))));
        MetricOptions sum = MetricOptions.builder().statistic("Sum").period(PERIOD).build();
        IWidget workflows = graph("cdc-enabler executions", List.of(
                stateMachine.metricStarted(sum), stateMachine.metricSucceeded(sum), stateMachine.metricFailed(sum),
                stateMachine.metricTimedOut(sum), stateMachine.metricAborted(sum)));
        IWidget help = TextWidget.Builder.create()
                .markdown("## cdc-enabler guardrails\nEvery RDS instance and Aurora writer in this Region appears "
                        + "here by itself (metric SEARCH). Rising slot disk usage or slot lag means a consumer is "
                        + "stopped or slow; run `cdc-enabler verify` for the slot, then restart or drop it.")
                .width(12).height(6).build();
        return List.of(List.of(help, workflows), databases.subList(0, 2), databases.subList(2, 4));
    }

    private static IWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(12).height(6).build();
    }

    private static IMetric search(String expression, String label) {
        return MathExpression.Builder.create()
                .expression(expression)
                .usingMetrics(Map.of())
                .label(label)
                .period(PERIOD)
                .build();
    }
}
