package io.cdcenabler.infra;

import static io.cdcenabler.infra.CloudFormation.list;
import static io.cdcenabler.infra.CloudFormation.map;
import static io.cdcenabler.infra.CloudFormation.properties;
import static io.cdcenabler.infra.CloudFormation.render;
import static io.cdcenabler.infra.CloudFormation.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.contract.TaskState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class StateMachineTest {
    private static final StateMachineDefinition FILE = StateMachineDefinition.read(StateMachineDefinition.DEFAULT_FILE);

    private static final List<WorkflowStep> ENROLMENT_STEPS = Arrays.stream(WorkflowStep.values())
            .filter(step -> step.workflow() == TaskState.Workflow.ENROLMENT).toList();

    private static Template template;
    private static String stateMachineId;
    private static Map<String, Object> stateMachine;

    @BeforeAll
    static void synthesize() {
        template = Template.fromStack(TestStacks.synthesize("state-machine", TestStacks.requiredContext()));
        Map<String, Map<String, Object>> machines = template.findResources("AWS::StepFunctions::StateMachine");
        assertThat(machines).hasSize(2);
        stateMachineId = machines.keySet().stream().filter(id -> id.startsWith("StateMachine")).findFirst()
                .orElseThrow();
        stateMachine = properties(machines.get(stateMachineId));
    }

    @Test
    void definition_isTheAslFileInlineWithAllItsStates() throws Exception {
        String deployed = (String) stateMachine.get("DefinitionString");

        assertThat(deployed).isEqualTo(FILE.json());
        JsonNode states = new ObjectMapper().readTree(deployed).get("States");
        List<String> names = new ArrayList<>();
        states.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("DescribeTarget", "EnsureParameterGroup", "Reboot", "CheckStatus",
                "ReadCredentials", "Provision", "Verify", "EnsureAlarms").hasSizeGreaterThan(8);
    }

    @Test
    void substitutions_areExactlyThePlaceholdersOfTheFile() {
        Map<String, Object> substitutions = map(stateMachine.get("DefinitionSubstitutions"));

        assertThat(FILE.placeholders()).isNotEmpty();
        assertThat(substitutions.keySet()).containsExactlyInAnyOrderElementsOf(FILE.placeholders());
        assertThat(FILE.placeholders()).containsExactlyInAnyOrderElementsOf(substitutions.keySet());
    }

    @Test
    void substitutions_pointAtTheLiveAliasOfEachStepsFunction() {
        Map<String, Map<String, Object>> aliases = template.findResources("AWS::Lambda::Alias");
        Map<String, Map<String, Object>> functions = template.findResources("AWS::Lambda::Function");
        Map<String, Object> substitutions = map(stateMachine.get("DefinitionSubstitutions"));

        for (WorkflowStep step : ENROLMENT_STEPS) {
            String ref = render(substitutions.get(step.placeholder()));
            Map<String, Object> alias = aliases.get(ref.substring(2, ref.length() - 1));
            assertThat(alias).as(step.placeholder() + " -> " + ref).isNotNull();
            String function = render(properties(alias).get("FunctionName"));
            assertThat(properties(functions.get(function.substring(2, function.length() - 1))).get("Handler"))
                    .isEqualTo(step.handler());
        }
    }

    @Test
    void stateMachine_isStandardLogsAllWithRetentionAndTraces() {
        assertThat(stateMachine.get("StateMachineType")).isEqualTo("STANDARD");
        Map<String, Object> logging = map(stateMachine.get("LoggingConfiguration"));
        assertThat(logging.get("Level")).isEqualTo("ALL");
        String logGroupArn = render(map(map(list(logging.get("Destinations")).get(0))
                .get("CloudWatchLogsLogGroup")).get("LogGroupArn"));
        String logGroupId = logGroupArn.substring(2, logGroupArn.indexOf('.'));
        assertThat(properties(template.findResources("AWS::Logs::LogGroup").get(logGroupId)).get("RetentionInDays"))
                .isEqualTo(CdcEnablerConfig.DEFAULT_LOG_RETENTION_DAYS);
        assertThat(stateMachine.get("TracingConfiguration")).isEqualTo(Map.of("Enabled", true));
    }

    @Test
    void stateMachineRole_mayInvokeExactlyTheEnrolmentWorkflowsAliases() {
        String role = render(stateMachine.get("RoleArn"));
        String roleId = role.substring(2, role.indexOf('.'));
        List<Map<String, Object>> invokeStatements = new ArrayList<>();
        template.findResources("AWS::IAM::Policy").values().stream()
                .filter(policy -> strings(properties(policy).get("Roles")).contains("${" + roleId + "}"))
                .flatMap(policy -> list(map(properties(policy).get("PolicyDocument")).get("Statement")).stream())
                .map(CloudFormation::map)
                .filter(statement -> strings(statement.get("Action")).stream().anyMatch(a -> a.startsWith("lambda:")))
                .forEach(invokeStatements::add);

        List<String> actions = invokeStatements.stream().flatMap(s -> strings(s.get("Action")).stream()).distinct()
                .toList();
        List<String> resources = invokeStatements.stream().flatMap(s -> strings(s.get("Resource")).stream())
                .toList();
        assertThat(actions).containsExactly("lambda:InvokeFunction");
        assertThat(resources).hasSize(ENROLMENT_STEPS.size()).containsExactlyInAnyOrderElementsOf(template
                .findResources("AWS::Lambda::Alias").keySet().stream()
                .filter(id -> ENROLMENT_STEPS.stream().anyMatch(step -> id.startsWith(step.stateName() + "Alias")))
                .map(id -> "${" + id + "}").collect(Collectors.toList()));
    }

    @Test
    void rule_startsTheWorkflowForCreatedAndRestoredDatabasesWithTheWholeEvent() {
        Map<String, Map<String, Object>> rules = template.findResources("AWS::Events::Rule");

        assertThat(rules).hasSize(6);
        Map<String, Object> rule = properties(rules.entrySet().stream()
                .filter(entry -> entry.getKey().startsWith("RdsDatabaseCreatedRule")).findFirst().orElseThrow()
                .getValue());
        assertThat(rule.get("EventPattern")).isEqualTo(Map.of(
                "source", List.of("aws.rds"),
                "detail-type", List.of("RDS DB Instance Event", "RDS DB Cluster Event"),
                "detail", Map.of("EventID", List.of("RDS-EVENT-0005", "RDS-EVENT-0170", "RDS-EVENT-0043",
                        "RDS-EVENT-0019"))));
        assertThat(rule.get("State")).isEqualTo("ENABLED");
        List<Object> targets = list(rule.get("Targets"));
        assertThat(targets).hasSize(1);
        Map<String, Object> target = map(targets.get(0));
        assertThat(render(target.get("Arn"))).isEqualTo("${" + stateMachineId + "}");
        assertThat(target).doesNotContainKeys("Input", "InputPath", "InputTransformer");
        assertThat(target.get("RetryPolicy")).isEqualTo(Map.of("MaximumRetryAttempts", 185,
                "MaximumEventAgeInSeconds", 86400));
        Map<String, Map<String, Object>> queues = template.findResources("AWS::SQS::Queue");
        assertThat(queues).hasSize(2);
        String queueId = queues.keySet().stream().filter(id -> id.startsWith("UndeliveredRdsEvents")).findFirst()
                .orElseThrow();
        assertThat(render(map(target.get("DeadLetterConfig")).get("Arn"))).contains(queueId);
        assertThat(properties(queues.get(queueId))).containsEntry("SqsManagedSseEnabled", true)
                .containsEntry("MessageRetentionPeriod", 1209600);
    }
}
