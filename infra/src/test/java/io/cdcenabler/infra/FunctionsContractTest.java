package io.cdcenabler.infra;

import static io.cdcenabler.infra.CloudFormation.list;
import static io.cdcenabler.infra.CloudFormation.map;
import static io.cdcenabler.infra.CloudFormation.properties;
import static io.cdcenabler.infra.CloudFormation.render;
import static io.cdcenabler.infra.CloudFormation.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.contract.EnvironmentVariables;
import io.cdcenabler.contract.ExecutionHistory;
import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.contract.StepPermissions;
import io.cdcenabler.contract.TaskState;
import io.cdcenabler.rds.EventDefaults;
import io.cdcenabler.rds.ParameterGroupPlanner;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.workflow.ProvisioningRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/**
 * What the stack names in the functions module (handler classes, the events DescribeTarget handles, the CDC_*
 * variables it reads, the name prefixes its roles are scoped to, each step's IAM actions) is what the functions
 * module compiles against: both use the contract module, and these tests reference the functions' own constants and
 * classes, so a rename breaks the build instead of a deployment.
 */
class FunctionsContractTest {
    private static final Set<String> GRANTED_FOR_LAMBDA_ITSELF = Set.of("logs:CreateLogStream", "logs:PutLogEvents",
            "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses",
            "ec2:UnassignPrivateIpAddresses", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets");

    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = Template.fromStack(TestStacks.synthesize("contract", TestStacks.requiredContext()));
    }

    @Test
    void everyHandlerTheStackNames_isARequestStreamHandlerInTheFunctionsModule() throws Exception {
        assertThat(Arrays.stream(WorkflowStep.values()).map(WorkflowStep::taskState))
                .containsExactly(TaskState.values());
        for (WorkflowStep step : WorkflowStep.values()) {
            Class<?> handler = Class.forName(step.taskState().handlerClass(), false, getClass().getClassLoader());

            assertThat(step.handler()).isEqualTo(handler.getName() + "::handleRequest");
            assertThat(RequestStreamHandler.class).as(handler.getName()).isAssignableFrom(handler);
            assertThat(Modifier.isPublic(handler.getConstructor().getModifiers())).as(handler.getName()).isTrue();
            assertThat(handler.getMethod("handleRequest", InputStream.class, OutputStream.class, Context.class)
                    .getDeclaringClass()).as(handler.getName()).isEqualTo(handler);
        }
    }

    @Test
    void theWaitLimitOfTheContext_isTheRequestsRule() {
        assertThat(List.of(ProvisioningRequest.HISTORY_EVENT_LIMIT, ProvisioningRequest.EVENTS_PER_STATUS_CHECK,
                ProvisioningRequest.EVENTS_OUTSIDE_STATUS_LOOP, ProvisioningRequest.MAX_STATUS_CHECKS))
                .containsExactly(ExecutionHistory.HISTORY_EVENT_LIMIT, ExecutionHistory.EVENTS_PER_STATUS_CHECK,
                        ExecutionHistory.EVENTS_OUTSIDE_STATUS_LOOP, ExecutionHistory.MAX_STATUS_CHECKS);
        assertThat(CdcEnablerConfig.MAX_STATUS_CHECKS).isEqualTo((25_000 - 1_000) / 9);
    }

    @Test
    void ruleEventIds_areExactlyTheEventsDescribeTargetHandles() {
        Map<String, Object> pattern = map(template.findResources("AWS::Events::Rule").entrySet().stream()
                .filter(rule -> rule.getKey().startsWith("RdsDatabaseCreatedRule")).map(Map.Entry::getValue)
                .map(CloudFormation::properties).findFirst().orElseThrow().get("EventPattern"));

        assertThat(strings(map(pattern.get("detail")).get("EventID")))
                .containsExactlyInAnyOrderElementsOf(TargetResolver.HANDLED_EVENTS);
        assertThat(CdcEnablerStack.RDS_EVENT_IDS).containsExactlyInAnyOrderElementsOf(TargetResolver.HANDLED_EVENTS);
    }

    @Test
    void eachRole_grantsExactlyTheContractsActionsOfItsStep_plusWhatLambdaNeeds() {
        for (WorkflowStep step : WorkflowStep.values()) {
            Set<String> granted = new TreeSet<>();
            statements(step).forEach(statement -> granted.addAll(strings(statement.get("Action"))));
            granted.removeAll(GRANTED_FOR_LAMBDA_ITSELF);

            assertThat(granted).as(step.stateName())
                    .containsExactlyInAnyOrderElementsOf(StepPermissions.actions(step.taskState()));
        }
    }

    @Test
    void describeTargetVariables_areTheOnesEventDefaultsReads() {
        assertThat(List.of(EventDefaults.OPT_IN_TAG_KEY, EventDefaults.OPT_IN_TAG_VALUE, EventDefaults.TRACKING_MODE,
                EventDefaults.SCHEMAS, EventDefaults.PUBLICATION, EventDefaults.REBOOT_POLICY,
                EventDefaults.WAIT_SECONDS, EventDefaults.WAIT_TIMEOUT_MINUTES, EventDefaults.MAX_SLOT_WAL_KEEP_SIZE))
                .containsExactlyElementsOf(EnvironmentVariables.DESCRIBE_TARGET);
        Map<String, Object> variables = map(map(function(WorkflowStep.DESCRIBE_TARGET).get("Environment"))
                .get("Variables"));

        assertThat(variables.keySet()).containsAll(EnvironmentVariables.DESCRIBE_TARGET);
        assertThat(variables.get(EventDefaults.PUBLICATION)).isEqualTo(CdcEnablerConfig.DEFAULT_PUBLICATION);
        assertThat(variables.get(EventDefaults.MAX_SLOT_WAL_KEEP_SIZE))
                .isEqualTo(CdcEnablerConfig.DEFAULT_MAX_SLOT_WAL_KEEP_SIZE);
        assertThat(EventDefaults.fromEnvironment(Map.of(EventDefaults.MAX_SLOT_WAL_KEEP_SIZE,
                (String) variables.get(EventDefaults.MAX_SLOT_WAL_KEEP_SIZE))).maxSlotWalKeepSize())
                .as("what the stack writes, the function reads").isEqualTo("20%");
    }

    @Test
    void secretAndParameterGroupPrefixes_matchTheFunctionsModule() {
        assertThat(CdcSecretStore.NAME_PREFIX).isEqualTo(ResourceNames.CDC_SECRET_PREFIX);
        assertThat(ParameterGroupPlanner.OWN_GROUP_PREFIX).isEqualTo(ResourceNames.OWN_PARAMETER_GROUP_PREFIX);
        assertThat(template.toJSON().toString()).contains(":pg:" + ParameterGroupPlanner.OWN_GROUP_PREFIX + "*",
                ":secret:" + CdcSecretStore.NAME_PREFIX + "*");
    }

    @Test
    void alarmNamePrefix_matchesTheFunctionsModule_andTheRoleAndTopicScopeToIt() {
        assertThat(io.cdcenabler.alarms.AlarmNames.PREFIX).isEqualTo(Guardrails.ALARM_NAME_PREFIX);
        assertThat(template.toJSON().toString()).contains(":alarm:" + io.cdcenabler.alarms.AlarmNames.PREFIX + "*");
    }

    private static Map<String, Object> function(WorkflowStep step) {
        return template.findResources("AWS::Lambda::Function").values().stream().map(CloudFormation::properties)
                .filter(p -> step.handler().equals(p.get("Handler"))).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> statements(WorkflowStep step) {
        String role = render(function(step).get("Role"));
        String roleRef = "${" + role.substring(2, role.indexOf('.')) + "}";
        return template.findResources("AWS::IAM::Policy").values().stream()
                .filter(policy -> strings(properties(policy).get("Roles")).contains(roleRef))
                .flatMap(policy -> list(map(properties(policy).get("PolicyDocument")).get("Statement")).stream())
                .map(CloudFormation::map)
                .toList();
    }
}
