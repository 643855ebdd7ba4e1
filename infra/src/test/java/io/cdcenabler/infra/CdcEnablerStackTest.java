package io.cdcenabler.infra;

import static io.cdcenabler.infra.CloudFormation.map;
import static io.cdcenabler.infra.CloudFormation.properties;
import static io.cdcenabler.infra.CloudFormation.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class CdcEnablerStackTest {
    private static Template template;
    /** Function logical id by state name (read from the handler). */
    private static Map<String, String> functionIds;

    @BeforeAll
    static void synthesize() {
        Map<String, Object> context = TestStacks.requiredContext();
        context.put("optInTagKey", "cdc");
        context.put("optInTagValue", "yes");
        context.put("schemas", "public, sales");
        context.put("publication", "cdc_pub");
        context.put("rebootPolicy", "next_maintenance_window");
        context.put("waitSeconds", "45");
        context.put("waitTimeoutMinutes", 240);
        context.put("logRetentionDays", "30");
        context.put("maxSlotWalKeepSize", "50gb");
        template = Template.fromStack(TestStacks.synthesize("stack", context));
        functionIds = new TreeMap<>();
        functions().forEach((id, function) -> {
            String handler = (String) properties(function).get("Handler");
            functionIds.put(handler.substring(handler.lastIndexOf('.') + 1, handler.indexOf("Handler::")), id);
        });
    }

    private static Map<String, Map<String, Object>> functions() {
        return template.findResources("AWS::Lambda::Function");
    }

    private static Map<String, Object> function(WorkflowStep step) {
        return properties(functions().get(functionIds.get(step.stateName())));
    }

    @Test
    void oneFunctionForEachTaskState_withItsHandler() {
        assertThat(functionIds.keySet()).containsExactlyInAnyOrder(Arrays.stream(WorkflowStep.values())
                .map(WorkflowStep::stateName).toArray(String[]::new));
        for (WorkflowStep step : WorkflowStep.values()) {
            assertThat(function(step).get("Handler"))
                    .isEqualTo("io.cdcenabler.handler." + step.stateName() + "Handler::handleRequest");
        }
    }

    @Test
    void everyFunction_runsJava21OnArm64WithSnapStartOnPublishedVersions() {
        functions().values().forEach(function -> {
            Map<String, Object> properties = properties(function);
            assertThat(properties.get("Runtime")).isEqualTo("java21");
            assertThat(properties.get("Architectures")).isEqualTo(List.of("arm64"));
            assertThat(properties.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions"));
            assertThat(map(map(properties.get("Environment")).get("Variables"))).containsEntry("JAVA_TOOL_OPTIONS",
                    "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        });
    }

    @Test
    void everyFunction_isReachedThroughTheLiveAliasOfAPublishedVersion() {
        Map<String, Map<String, Object>> versions = template.findResources("AWS::Lambda::Version");
        Map<String, Map<String, Object>> aliases = template.findResources("AWS::Lambda::Alias");

        assertThat(aliases).hasSize(WorkflowStep.values().length);
        Map<String, String> aliasedFunctions = new HashMap<>();
        aliases.values().forEach(alias -> {
            Map<String, Object> properties = properties(alias);
            assertThat(properties.get("Name")).isEqualTo("live");
            String version = render(properties.get("FunctionVersion"));
            String versionId = version.substring(2, version.indexOf('.'));
            assertThat(versions).containsKey(versionId);
            aliasedFunctions.put(render(properties(versions.get(versionId)).get("FunctionName")),
                    render(properties.get("FunctionName")));
        });
        assertThat(aliasedFunctions.keySet()).containsExactlyInAnyOrderElementsOf(
                functionIds.values().stream().map(id -> "${" + id + "}").toList());
        assertThat(aliasedFunctions).allSatisfy((versionOf, aliasOf) -> assertThat(aliasOf).isEqualTo(versionOf));
    }

    @Test
    void memoryAndTimeouts_fitEachStep() {
        Map<String, List<Object>> sizing = Arrays.stream(WorkflowStep.values()).collect(Collectors.toMap(
                WorkflowStep::stateName, step -> List.of(function(step).get("MemorySize"), function(step).get("Timeout"))));

        assertThat(sizing).containsOnly(
                Map.entry("DescribeTarget", List.of(512, 60)),
                Map.entry("EnsureParameterGroup", List.of(512, 60)),
                Map.entry("Reboot", List.of(512, 30)),
                Map.entry("CheckStatus", List.of(512, 30)),
                Map.entry("ReadCredentials", List.of(512, 30)),
                Map.entry("Provision", List.of(1024, 600)),
                Map.entry("Verify", List.of(1024, 180)),
                Map.entry("EnsureAlarms", List.of(512, 60)),
                Map.entry("RecordEnrolment", List.of(512, 30)),
                Map.entry("PrepareUpgrade", List.of(1024, 180)),
                Map.entry("ResolveTargets", List.of(512, 60)),
                Map.entry("CheckDrift", List.of(1024, 180)),
                Map.entry("RecordResult", List.of(512, 30)),
                Map.entry("Summarise", List.of(512, 30)));
    }

    @Test
    void everyFunction_logsToItsOwnLogGroupWithTheConfiguredRetention() {
        Map<String, Map<String, Object>> logGroups = template.findResources("AWS::Logs::LogGroup");

        List<String> used = functions().values().stream().map(function -> render(
                map(properties(function).get("LoggingConfig")).get("LogGroup"))).toList();
        assertThat(used).doesNotHaveDuplicates().hasSize(WorkflowStep.values().length);
        used.forEach(ref -> {
            Map<String, Object> logGroup = logGroups.get(ref.substring(2, ref.length() - 1));
            assertThat(logGroup).as(ref).isNotNull();
            assertThat(properties(logGroup).get("RetentionInDays")).isEqualTo(30);
        });
        assertThat(template.findResources("Custom::LogRetention")).isEmpty();
    }

    @Test
    void onlyTheStepsThatLogInToTheDatabase_runInTheDatabaseVpc() {
        for (WorkflowStep step : WorkflowStep.values()) {
            Object vpcConfig = function(step).get("VpcConfig");
            if (step == WorkflowStep.PROVISION || step == WorkflowStep.VERIFY || step == WorkflowStep.CHECK_DRIFT
                    || step == WorkflowStep.PREPARE_UPGRADE) {
                assertThat(map(vpcConfig)).containsOnly(
                        Map.entry("SubnetIds", TestStacks.SUBNET_IDS),
                        Map.entry("SecurityGroupIds", List.of(TestStacks.SECURITY_GROUP_ID)));
            } else {
                assertThat(vpcConfig).as(step.stateName()).isNull();
            }
        }
        assertThat(template.findResources("AWS::EC2::SecurityGroup")).isEmpty();
        assertThat(template.findResources("AWS::EC2::VPC")).isEmpty();
    }

    @Test
    void ensureAlarms_getsTheGuardrailTopicArn_andNoOtherFunctionDoes() {
        Map<String, Object> variables = map(map(function(WorkflowStep.ENSURE_ALARMS).get("Environment"))
                .get("Variables"));
        String topic = template.findResources("AWS::SNS::Topic").keySet().iterator().next();

        assertThat(template.findResources("AWS::SNS::Topic")).hasSize(1);
        assertThat(render(variables.get("CDC_ALARM_TOPIC_ARN"))).isEqualTo("${" + topic + "}");
        for (WorkflowStep step : WorkflowStep.values()) {
            if (step != WorkflowStep.ENSURE_ALARMS) {
                assertThat(map(map(function(step).get("Environment")).get("Variables")))
                        .as(step.stateName()).doesNotContainKey("CDC_ALARM_TOPIC_ARN");
            }
        }
    }

    @Test
    void describeTarget_getsTheEventDefaultsFromContext() {
        Map<String, Object> variables = map(map(function(WorkflowStep.DESCRIBE_TARGET).get("Environment"))
                .get("Variables"));

        assertThat(variables).containsOnly(
                Map.entry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"),
                Map.entry("CDC_OPT_IN_TAG_KEY", "cdc"),
                Map.entry("CDC_OPT_IN_TAG_VALUE", "yes"),
                Map.entry("CDC_TRACKING_MODE", "ALL_TABLES"),
                Map.entry("CDC_SCHEMAS", "public,sales"),
                Map.entry("CDC_PUBLICATION", "cdc_pub"),
                Map.entry("CDC_REBOOT_POLICY", "NEXT_MAINTENANCE_WINDOW"),
                Map.entry("CDC_WAIT_SECONDS", "45"),
                Map.entry("CDC_WAIT_TIMEOUT_MINUTES", "240"),
                Map.entry("CDC_MAX_SLOT_WAL_KEEP_SIZE", "51200MB"));
    }

    @Test
    void allFunctions_runTheSameJar() {
        List<Object> codes = functions().values().stream().map(function -> properties(function).get("Code"))
                .distinct().toList();

        assertThat(codes).hasSize(1);
        assertThat(render(map(codes.get(0)).get("S3Key"))).endsWith(".jar");
    }

    @Test
    void output_isTheStateMachineArn() {
        Map<String, Object> outputs = map(template.toJSON().get("Outputs"));

        String stateMachine = template.findResources("AWS::StepFunctions::StateMachine").keySet().iterator().next();
        assertThat(render(map(outputs.get("StateMachineArn")).get("Value"))).isEqualTo("${" + stateMachine + "}");
    }
}
