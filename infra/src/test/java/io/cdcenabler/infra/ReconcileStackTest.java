package io.cdcenabler.infra;

import static io.cdcenabler.infra.CloudFormation.list;
import static io.cdcenabler.infra.CloudFormation.map;
import static io.cdcenabler.infra.CloudFormation.properties;
import static io.cdcenabler.infra.CloudFormation.render;
import static io.cdcenabler.infra.CloudFormation.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.contract.TaskState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The reconcile state machine, its role, its schedule and the drift-event rules, as synthesized. */
class ReconcileStackTest {
    private static final String STATES = "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:";
    private static final String NAME = "CdcEnabler-Reconcile";
    private static final StateMachineDefinition FILE = StateMachineDefinition.read(
            StateMachineDefinition.RECONCILE_FILE);

    private static CdcEnablerStack stack;
    private static Template template;
    private static String reconcileId;
    private static String enrolmentId;
    private static Map<String, Object> reconcile;

    @BeforeAll
    static void synthesize() {
        stack = TestStacks.synthesize("reconcile", TestStacks.requiredContext());
        template = Template.fromStack(stack);
        Map<String, Map<String, Object>> machines = template.findResources("AWS::StepFunctions::StateMachine");
        assertThat(machines).hasSize(2);
        reconcileId = machines.keySet().stream().filter(id -> id.startsWith("Reconcile")).findFirst().orElseThrow();
        enrolmentId = machines.keySet().stream().filter(id -> !id.equals(reconcileId)).findFirst().orElseThrow();
        reconcile = properties(machines.get(reconcileId));
    }

    @Test
    void machine_isTheReconcileFile_standard_namedAfterTheStack_loggingAllToItsOwnLogGroup_traced() {
        assertThat(reconcile.get("DefinitionString")).isEqualTo(FILE.json());
        assertThat(reconcile.get("StateMachineName")).isEqualTo(NAME);
        assertThat(reconcile.get("StateMachineType")).isEqualTo("STANDARD");
        assertThat(reconcile.get("TracingConfiguration")).isEqualTo(Map.of("Enabled", true));
        Map<String, Object> logging = map(reconcile.get("LoggingConfiguration"));
        assertThat(logging).containsEntry("Level", "ALL").containsEntry("IncludeExecutionData", true);
        String logGroupArn = render(map(map(list(logging.get("Destinations")).get(0))
                .get("CloudWatchLogsLogGroup")).get("LogGroupArn"));
        String logGroupId = logGroupArn.substring(2, logGroupArn.indexOf('.'));
        Map<String, Object> logGroup = properties(template.findResources("AWS::Logs::LogGroup").get(logGroupId));
        assertThat((String) logGroup.get("LogGroupName")).startsWith("/aws/vendedlogs/states/" + NAME + "-");
        assertThat(logGroup.get("RetentionInDays")).isEqualTo(CdcEnablerConfig.DEFAULT_LOG_RETENTION_DAYS);
        String enrolmentLogs = render(map(map(list(map(properties(template.findResources(
                "AWS::StepFunctions::StateMachine").get(enrolmentId)).get("LoggingConfiguration"))
                .get("Destinations")).get(0)).get("CloudWatchLogsLogGroup")).get("LogGroupArn"));
        assertThat(enrolmentLogs).isNotEqualTo(logGroupArn);
    }

    @Test
    void substitutions_areItsFourAliasesAndTheEnrolmentMachine_only() {
        Map<String, Object> substitutions = map(reconcile.get("DefinitionSubstitutions"));
        Map<String, Map<String, Object>> aliases = template.findResources("AWS::Lambda::Alias");
        Map<String, Map<String, Object>> functions = template.findResources("AWS::Lambda::Function");

        assertThat(substitutions.keySet()).containsExactlyInAnyOrder("ResolveTargetsFunctionArn",
                "CheckDriftFunctionArn", "RecordResultFunctionArn", "SummariseFunctionArn",
                "EnrolmentStateMachineArn").containsExactlyInAnyOrderElementsOf(FILE.placeholders());
        assertThat(render(substitutions.get("EnrolmentStateMachineArn"))).isEqualTo("${" + enrolmentId + "}");
        for (TaskState state : TaskState.Workflow.RECONCILE.taskStates()) {
            String ref = render(substitutions.get(state.stateName() + "FunctionArn"));
            Map<String, Object> alias = aliases.get(ref.substring(2, ref.length() - 1));
            assertThat(alias).as(ref).isNotNull();
            assertThat(properties(alias).get("Name")).isEqualTo(CdcEnablerStack.ALIAS);
            String function = render(properties(alias).get("FunctionName"));
            assertThat(properties(functions.get(function.substring(2, function.length() - 1))).get("Handler"))
                    .isEqualTo(state.handler());
        }
        Map<String, Object> enrolment = map(properties(template.findResources("AWS::StepFunctions::StateMachine")
                .get(enrolmentId)).get("DefinitionSubstitutions"));
        assertThat(enrolment.keySet()).hasSize(TaskState.Workflow.ENROLMENT.taskStates().size())
                .noneMatch(key -> key.startsWith("ResolveTargets") || key.startsWith("CheckDrift")
                        || key.startsWith("RecordResult") || key.startsWith("Summarise"));
    }

    @Test
    void role_allowsExactlyTheAliasesTheEnrolmentMachineAndItsOwnDistributedMap() {
        Map<String, Set<String>> granted = grants(render(reconcile.get("RoleArn")));
        Set<String> aliasRefs = new TreeSet<>();
        Map<String, Object> substitutions = map(reconcile.get("DefinitionSubstitutions"));
        substitutions.forEach((key, value) -> {
            if (key.endsWith("FunctionArn")) {
                aliasRefs.add(render(value));
            }
        });
        String enrolmentExecutions = STATES + "execution:${" + enrolmentId + ".Name}:*";

        assertThat(aliasRefs).hasSize(4);
        assertThat(granted).containsEntry("lambda:InvokeFunction", aliasRefs)
                .containsEntry("states:StartExecution", Set.of("${" + enrolmentId + "}", STATES + "stateMachine:" + NAME))
                .containsEntry("states:DescribeExecution", Set.of(enrolmentExecutions, STATES + "execution:" + NAME
                        + ":*", STATES + "execution:" + NAME + "/*"))
                .containsEntry("states:StopExecution", Set.of(enrolmentExecutions, STATES + "execution:" + NAME
                        + ":*", STATES + "execution:" + NAME + "/*"))
                .containsEntry("states:DescribeMapRun", Set.of(STATES + "mapRun:" + NAME + "/*"))
                .containsEntry("states:ListMapRuns", Set.of(STATES + "mapRun:" + NAME + "/*"))
                .containsEntry("states:UpdateMapRun", Set.of(STATES + "mapRun:" + NAME + "/*"));
        String rule = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/"
                + "StepFunctionsGetEventsForStepFunctionsExecutionRule";
        for (String action : List.of("events:PutTargets", "events:PutRule", "events:DescribeRule")) {
            assertThat(granted).containsEntry(action, Set.of(rule));
        }
        // "*" only for log delivery and X-Ray, which have no resource-level permissions (suppressed with reasons).
        granted.forEach((action, resources) -> {
            if (resources.contains("*")) {
                assertThat(action).matches("(logs|xray):.*");
            }
        });
        assertThat(granted.keySet()).allMatch(action -> action.matches("(lambda|states|events|logs|xray):.*"));
    }

    @Test
    void rules_matchTheDriftEventsExactly_andStartTheReconcileMachineWithTheEvent() {
        Map<String, Object> expected = new TreeMap<>(Map.of(
                "InstanceDriftEvents", Map.of("source", List.of("aws.rds"),
                        "detail-type", List.of("RDS DB Instance Event"),
                        "detail", Map.of("EventID", List.of("RDS-EVENT-0011", "RDS-EVENT-0092", "RDS-EVENT-0013",
                                "RDS-EVENT-0015", "RDS-EVENT-0049", "RDS-EVENT-0006", "RDS-EVENT-0019",
                                "RDS-EVENT-0043", "RDS-EVENT-0268", "RDS-EVENT-0270"))),
                "ClusterDriftEvents", Map.of("source", List.of("aws.rds"),
                        "detail-type", List.of("RDS DB Cluster Event"),
                        "detail", Map.of("EventID", List.of("RDS-EVENT-0071", "RDS-EVENT-0176"))),
                "ParameterGroupEvents", Map.of("source", List.of("aws.rds"),
                        "detail-type", List.of("RDS DB Parameter Group Event"),
                        "detail", Map.of("EventID", List.of("RDS-EVENT-0037"))),
                "BlueGreenEvents", Map.of("source", List.of("aws.rds"),
                        "detail-type", List.of("RDS Blue Green Deployment Event"),
                        "detail", Map.of("EventID", List.of("RDS-EVENT-0248"))),
                "ClusterParameterGroupCalls", Map.of("source", List.of("aws.rds"),
                        "detail-type", List.of("AWS API Call via CloudTrail"),
                        "detail", Map.of("eventSource", List.of("rds.amazonaws.com"),
                                "eventName", List.of("ModifyDBClusterParameterGroup",
                                        "ResetDBClusterParameterGroup")))));
        String queue = reconcileQueue();
        Map<String, Object> found = new TreeMap<>();
        template.findResources("AWS::Events::Rule").forEach((id, resource) -> {
            Map<String, Object> rule = properties(resource);
            Map<String, Object> target = map(list(rule.get("Targets")).get(0));
            if (id.startsWith("RdsDatabaseCreatedRule")) {
                assertThat(render(target.get("Arn"))).as("the creation rule").isEqualTo("${" + enrolmentId + "}");
                return;
            }
            String name = expected.keySet().stream().filter(key -> id.startsWith("ReconcileTriggers" + key))
                    .findFirst().orElseThrow(() -> new AssertionError("unexpected rule " + id));
            found.put(name, rule.get("EventPattern"));
            assertThat(rule.get("State")).isEqualTo("ENABLED");
            assertThat(list(rule.get("Targets"))).hasSize(1);
            assertThat(render(target.get("Arn"))).as(name).isEqualTo("${" + reconcileId + "}");
            assertThat(target).as(name).doesNotContainKeys("Input", "InputPath", "InputTransformer");
            assertThat(target.get("RetryPolicy")).isEqualTo(Map.of("MaximumRetryAttempts", 185,
                    "MaximumEventAgeInSeconds", 86400));
            assertThat(render(map(target.get("DeadLetterConfig")).get("Arn"))).isEqualTo("${" + queue + ".Arn}");
        });
        assertThat(found).isEqualTo(expected);
    }

    @Test
    void schedule_startsTheMachineDailyWithAnEmptyInput_noFlexibleWindow_retries_deadLetters() {
        Map<String, Object> schedule = schedule(template);
        Map<String, Object> target = map(schedule.get("Target"));

        assertThat(schedule.get("ScheduleExpression")).isEqualTo("rate(1 day)");
        assertThat(schedule.get("FlexibleTimeWindow")).isEqualTo(Map.of("Mode", "OFF"));
        assertThat(schedule.get("State")).isEqualTo("ENABLED");
        assertThat(render(target.get("Arn"))).isEqualTo("${" + reconcileId + "}");
        assertThat(target.get("Input")).isEqualTo("{}");
        assertThat(target.get("RetryPolicy")).isEqualTo(Map.of("MaximumRetryAttempts", 185,
                "MaximumEventAgeInSeconds", 86400));
        String queue = reconcileQueue();
        assertThat(render(map(target.get("DeadLetterConfig")).get("Arn"))).isEqualTo("${" + queue + ".Arn}");
        assertThat(properties(template.findResources("AWS::SQS::Queue").get(queue)))
                .containsEntry("SqsManagedSseEnabled", true).containsEntry("MessageRetentionPeriod", 1209600);
    }

    @Test
    void scheduleRole_isAssumedByTheScheduler_andMayOnlyStartTheReconcileMachineAndSendItsDeadLetters() {
        String role = render(map(schedule(template).get("Target")).get("RoleArn"));
        String roleId = role.substring(2, role.indexOf('.'));
        Map<String, Object> trust = map(list(map(properties(template.findResources("AWS::IAM::Role").get(roleId))
                .get("AssumeRolePolicyDocument")).get("Statement")).get(0));

        assertThat(map(trust.get("Principal"))).isEqualTo(Map.of("Service", "scheduler.amazonaws.com"));
        assertThat(render(map(map(trust.get("Condition")).get("StringEquals")).get("aws:SourceAccount")))
                .isEqualTo("${AWS::AccountId}");
        assertThat(grants(role)).isEqualTo(Map.of(
                "states:StartExecution", Set.of("${" + reconcileId + "}"),
                "sqs:SendMessage", Set.of("${" + reconcileQueue() + ".Arn}")));
    }

    @Test
    void scheduleExpression_comesFromContext_andAMalformedOneIsRefusedNamingTheKey() {
        Map<String, Object> context = TestStacks.requiredContext();
        context.put(ReconcileConfig.RECONCILE_SCHEDULE, "cron(0 3 * * ? *)");
        assertThat(schedule(Template.fromStack(TestStacks.synthesize("reconcile-cron", context)))
                .get("ScheduleExpression")).isEqualTo("cron(0 3 * * ? *)");

        for (String bad : List.of("daily", "at(2026-12-24T03:00:00)", "rate(1 day", "1 day")) {
            context.put(ReconcileConfig.RECONCILE_SCHEDULE, bad);
            assertThatThrownBy(() -> TestStacks.synthesize("reconcile-bad", context)).as(bad)
                    .isInstanceOf(InvalidContextException.class)
                    .hasMessageContaining("reconcileSchedule").hasMessageContaining(bad);
        }
        context.put(ReconcileConfig.RECONCILE_SCHEDULE, 1);
        assertThatThrownBy(() -> TestStacks.synthesize("reconcile-number", context))
                .isInstanceOf(InvalidContextException.class).hasMessageContaining("reconcileSchedule");
    }

    @Test
    void substitutionCheck_refusesAPlaceholderWithoutAValue_andAValueWithoutAPlaceholder() {
        Map<String, String> substitutions = new TreeMap<>();
        FILE.placeholders().forEach(name -> substitutions.put(name, "arn"));
        FILE.requireSubstitutions("reconcile", substitutions);

        substitutions.remove("EnrolmentStateMachineArn");
        substitutions.put("VerifyFunctionArn", "arn");
        assertThatThrownBy(() -> FILE.requireSubstitutions("reconcile", substitutions))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a value: [EnrolmentStateMachineArn]")
                .hasMessageContaining("missing from the definition: [VerifyFunctionArn]");
    }

    @Test
    void output_isTheReconcileMachinesArn() {
        assertThat(render(map(template.findOutputs("ReconcileStateMachineArn").get("ReconcileStateMachineArn"))
                .get("Value"))).isEqualTo("${" + reconcileId + "}");
    }

    @Test
    void cdkNag_reportsNothingUnsuppressedOnTheReconciliation() {
        Annotations annotations = Annotations.fromStack(stack);
        assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))).isEmpty();
        assertThat(annotations.findWarning("/CdcEnabler/Reconcile*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
    }

    private static Map<String, Object> schedule(Template t) {
        Map<String, Map<String, Object>> schedules = t.findResources("AWS::Scheduler::Schedule");
        assertThat(schedules).hasSize(1);
        return properties(schedules.values().iterator().next());
    }

    private static String reconcileQueue() {
        return template.findResources("AWS::SQS::Queue").keySet().stream()
                .filter(id -> id.startsWith("ReconcileTriggers")).findFirst().orElseThrow();
    }

    /** Every action the role's policies allow, with the resources each is allowed on (statements merged). */
    private static Map<String, Set<String>> grants(String roleArn) {
        String roleRef = "${" + roleArn.substring(2, roleArn.indexOf('.')) + "}";
        Map<String, Set<String>> granted = new TreeMap<>();
        template.findResources("AWS::IAM::Policy").values().stream()
                .filter(policy -> strings(properties(policy).get("Roles")).contains(roleRef))
                .flatMap(policy -> list(map(properties(policy).get("PolicyDocument")).get("Statement")).stream())
                .map(CloudFormation::map)
                .forEach(statement -> {
                    assertThat(statement.get("Effect")).isEqualTo("Allow");
                    strings(statement.get("Action")).forEach(action -> granted.computeIfAbsent(action,
                            a -> new TreeSet<>()).addAll(strings(statement.get("Resource"))));
                });
        return granted;
    }
}
