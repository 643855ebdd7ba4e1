package io.cdcenabler.infra;

import io.cdcenabler.contract.RdsEvents;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.events.targets.SfnStateMachineProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.iam.ServicePrincipalOpts;
import software.amazon.awscdk.services.scheduler.CfnSchedule;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.IStateMachine;
import software.constructs.Construct;

/**
 * What starts the reconcile state machine: an EventBridge Scheduler schedule with input {@code {}} (every enrolment)
 * and EventBridge rules for the RDS lifecycle events after which an enrolled database may have drifted (input: the
 * event). Both retry for up to 24 hours and then put what they could not deliver into one SQS dead-letter queue.
 */
public final class ReconcileTriggers extends Construct {
    /** As the creation rule: EventBridge's and Scheduler's most retries, over their longest event age. */
    static final int RETRY_ATTEMPTS = 185;
    static final Duration MAX_EVENT_AGE = Duration.hours(24);

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "InstanceDriftEvents", "instance events after which an enrolled database may have drifted",
            "ClusterDriftEvents", "cluster failovers and upgrades",
            "ParameterGroupEvents", "DB parameter group edits",
            "BlueGreenEvents", "Blue/Green switchovers",
            "ClusterParameterGroupCalls", "DB cluster parameter group edits (CloudTrail management events)");

    private final Queue undelivered;

    public ReconcileTriggers(Construct scope, String id, IStateMachine reconcile, ReconcileConfig config) {
        super(scope, id);
        undelivered = Queue.Builder.create(this, "Undelivered")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        NagSuppressions.addResourceSuppressions(undelivered, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is itself the dead-letter queue of the reconciliation's schedule and rules")
                .build()));
        schedule(reconcile, config);
        for (Map.Entry<String, EventPattern> rule : patterns().entrySet()) {
            Rule.Builder.create(this, rule.getKey())
                    .description("Starts the cdc-enabler reconciliation for RDS " + DESCRIPTIONS.get(rule.getKey()))
                    .eventPattern(rule.getValue())
                    .targets(List.of(new SfnStateMachine(reconcile, SfnStateMachineProps.builder()
                            .deadLetterQueue(undelivered)
                            .retryAttempts(RETRY_ATTEMPTS)
                            .maxEventAge(MAX_EVENT_AGE)
                            .build())))
                    .build();
        }
    }

    /** The dead-letter queue of the schedule and the rules. */
    public Queue undelivered() {
        return undelivered;
    }

    /**
     * The rules' patterns by construct id: instance and cluster drift events, parameter group edits, Blue/Green
     * switchovers (RDS events, {@code detail.EventID}), and cluster parameter group edits, which have no RDS event and
     * come from CloudTrail (management events of a trail in this account and Region).
     */
    static Map<String, EventPattern> patterns() {
        Map<String, EventPattern> patterns = new LinkedHashMap<>();
        patterns.put("InstanceDriftEvents", rdsEvent(RdsEvents.DETAIL_TYPES.get(0), RdsEvents.INSTANCE_DRIFT_EVENT_IDS));
        patterns.put("ClusterDriftEvents", rdsEvent(RdsEvents.DETAIL_TYPES.get(1), RdsEvents.CLUSTER_DRIFT_EVENT_IDS));
        patterns.put("ParameterGroupEvents", rdsEvent(RdsEvents.PARAMETER_GROUP_DETAIL_TYPE,
                RdsEvents.PARAMETER_GROUP_EVENT_IDS));
        patterns.put("BlueGreenEvents", rdsEvent(RdsEvents.BLUE_GREEN_DETAIL_TYPE, RdsEvents.BLUE_GREEN_EVENT_IDS));
        patterns.put("ClusterParameterGroupCalls", EventPattern.builder()
                .source(List.of(RdsEvents.SOURCE))
                .detailType(List.of(RdsEvents.CLOUDTRAIL_DETAIL_TYPE))
                .detail(Map.of("eventSource", List.of(RdsEvents.CLOUDTRAIL_EVENT_SOURCE),
                        "eventName", RdsEvents.CLUSTER_PARAMETER_GROUP_CALLS))
                .build());
        return patterns;
    }

    private static EventPattern rdsEvent(String detailType, List<String> eventIds) {
        return EventPattern.builder()
                .source(List.of(RdsEvents.SOURCE))
                .detailType(List.of(detailType))
                .detail(Map.of("EventID", eventIds))
                .build();
    }

    /**
     * The schedule, at the configured expression (UTC), no flexible window. Its role may start the reconcile machine
     * and, as the Scheduler User Guide ("Configuring a schedule's dead-letter queue") requires of the execution role,
     * send to the dead-letter queue; nothing else.
     */
    private void schedule(IStateMachine reconcile, ReconcileConfig config) {
        Role role = Role.Builder.create(this, "ScheduleRole")
                .assumedBy(new ServicePrincipal("scheduler.amazonaws.com", ServicePrincipalOpts.builder()
                        .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID)))
                        .build()))
                .description("cdc-enabler reconciliation schedule: starts the reconcile state machine")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create().actions(List.of("states:StartExecution"))
                .resources(List.of(reconcile.getStateMachineArn())).build());
        role.addToPolicy(PolicyStatement.Builder.create().actions(List.of("sqs:SendMessage"))
                .resources(List.of(undelivered.getQueueArn())).build());
        CfnSchedule.Builder.create(this, "Schedule")
                .description("Starts the cdc-enabler reconciliation of every enrolled database")
                .scheduleExpression(config.schedule())
                .flexibleTimeWindow(CfnSchedule.FlexibleTimeWindowProperty.builder().mode("OFF").build())
                .state("ENABLED")
                .target(CfnSchedule.TargetProperty.builder()
                        .arn(reconcile.getStateMachineArn())
                        .roleArn(role.getRoleArn())
                        .input("{}")
                        .retryPolicy(CfnSchedule.RetryPolicyProperty.builder()
                                .maximumRetryAttempts(RETRY_ATTEMPTS)
                                .maximumEventAgeInSeconds(MAX_EVENT_AGE.toSeconds())
                                .build())
                        .deadLetterConfig(CfnSchedule.DeadLetterConfigProperty.builder()
                                .arn(undelivered.getQueueArn()).build())
                        .build())
                .build();
    }
}
