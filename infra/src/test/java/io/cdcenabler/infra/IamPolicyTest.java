package io.cdcenabler.infra;

import static io.cdcenabler.infra.CloudFormation.list;
import static io.cdcenabler.infra.CloudFormation.map;
import static io.cdcenabler.infra.CloudFormation.properties;
import static io.cdcenabler.infra.CloudFormation.render;
import static io.cdcenabler.infra.CloudFormation.strings;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class IamPolicyTest {
    private static final String ACCOUNT = "${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}:";
    private static final String RDS = "arn:" + ACCOUNT.formatted("rds");
    private static final String SECRETS = "arn:" + ACCOUNT.formatted("secretsmanager") + "secret:";
    private static final String EC2 = "arn:" + ACCOUNT.formatted("ec2");
    private static final String ADMIN_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/admin-AbCdEf";
    private static final String KMS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    /**
     * The only actions granted on Resource "*": RDS, EC2 and CloudWatch alarm Describe calls without resource-level
     * permissions, and
     * what CDK grants the state machine for log delivery and X-Ray (those APIs take no resource either).
     */
    private static final Set<String> WITHOUT_RESOURCE_LEVEL_PERMISSIONS = Set.of(
            "rds:DescribeDBEngineVersions", "rds:DescribeEngineDefaultParameters",
            "rds:DescribeEngineDefaultClusterParameters", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
            "cloudwatch:DescribeAlarms", "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
            "xray:GetSamplingRules", "xray:GetSamplingTargets");

    private static Template template;
    private static Template withSecretsAndKeys;

    @BeforeAll
    static void synthesize() {
        template = Template.fromStack(TestStacks.synthesize("iam", TestStacks.requiredContext()));
        Map<String, Object> context = TestStacks.requiredContext();
        context.put(CdcEnablerConfig.ADMIN_SECRET_ARNS, ADMIN_SECRET);
        context.put(CdcEnablerConfig.SECRET_KMS_KEY_ARNS, List.of(KMS_KEY));
        withSecretsAndKeys = Template.fromStack(TestStacks.synthesize("iam-secrets", context));
    }

    @Test
    void eachFunction_hasItsOwnRole() {
        List<String> roles = template.findResources("AWS::Lambda::Function").values().stream()
                .map(function -> render(properties(function).get("Role"))).toList();

        assertThat(roles).hasSize(WorkflowStep.values().length).doesNotHaveDuplicates();
        assertThat(template.findResources("AWS::IAM::Role").values()).allSatisfy(role ->
                assertThat(properties(role)).doesNotContainKey("ManagedPolicyArns"));
    }

    @Test
    void eachRole_allowsExactlyTheCallsItsHandlerMakes() {
        assertThat(actions(template, WorkflowStep.DESCRIBE_TARGET)).containsExactlyInAnyOrder(
                "rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:DescribeDBEngineVersions",
                "rds:DescribeBlueGreenDeployments");
        assertThat(actions(template, WorkflowStep.ENSURE_PARAMETER_GROUP)).containsExactlyInAnyOrder(
                "rds:DescribeDBInstances", "rds:DescribeDBClusters",
                "rds:DescribeDBParameters", "rds:DescribeDBClusterParameters",
                "rds:DescribeEngineDefaultParameters", "rds:DescribeEngineDefaultClusterParameters",
                "rds:CreateDBParameterGroup", "rds:CreateDBClusterParameterGroup",
                "rds:CopyDBParameterGroup", "rds:CopyDBClusterParameterGroup",
                "rds:ModifyDBParameterGroup", "rds:ModifyDBClusterParameterGroup",
                "rds:ModifyDBInstance", "rds:ModifyDBCluster");
        assertThat(actions(template, WorkflowStep.REBOOT)).containsExactlyInAnyOrder(
                "rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:RebootDBInstance", "rds:RebootDBCluster");
        assertThat(actions(template, WorkflowStep.CHECK_STATUS)).containsExactlyInAnyOrder(
                "rds:DescribeDBInstances", "rds:DescribeDBClusters");
        assertThat(actions(template, WorkflowStep.READ_CREDENTIALS)).containsExactlyInAnyOrder(
                "secretsmanager:GetSecretValue");
        assertThat(actions(template, WorkflowStep.PROVISION)).containsExactlyInAnyOrder(
                "secretsmanager:GetSecretValue", "secretsmanager:CreateSecret", "secretsmanager:PutSecretValue",
                "secretsmanager:TagResource", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets");
        assertThat(actions(template, WorkflowStep.VERIFY)).containsExactlyInAnyOrder(
                "secretsmanager:GetSecretValue", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses", "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeSubnets");
        assertThat(actions(template, WorkflowStep.ENSURE_ALARMS)).containsExactlyInAnyOrder(
                "cloudwatch:DescribeAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms",
                "cloudwatch:ListTagsForResource", "cloudwatch:TagResource");
    }

    @Test
    void alarmWrites_areScopedToOurAlarmNames_andOnlyDescribeAlarmsIsOnStar() {
        Map<String, List<String>> alarms = resourcesByAction(template, WorkflowStep.ENSURE_ALARMS);
        String ours = "arn:" + ACCOUNT.formatted("cloudwatch") + "alarm:cdc-enabler/*";

        assertThat(alarms.get("cloudwatch:DescribeAlarms")).containsExactly("*");
        for (String action : List.of("cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms",
                "cloudwatch:ListTagsForResource", "cloudwatch:TagResource")) {
            assertThat(alarms.get(action)).as(action).containsExactly(ours);
        }
        for (WorkflowStep step : WorkflowStep.values()) {
            if (step != WorkflowStep.ENSURE_ALARMS) {
                assertThat(actions(template, step)).as(step.stateName()).noneMatch(a -> a.startsWith("cloudwatch:"));
            }
        }
    }

    @Test
    void eachRole_writesOnlyToItsFunctionsLogGroup() {
        for (WorkflowStep step : WorkflowStep.values()) {
            Map<String, Object> function = function(template, step);
            String logGroup = render(map(function.get("LoggingConfig")).get("LogGroup"));
            List<Map<String, Object>> logStatements = statements(template, step).stream()
                    .filter(s -> strings(s.get("Action")).stream().anyMatch(a -> a.startsWith("logs:"))).toList();

            assertThat(logStatements).hasSize(1);
            assertThat(strings(logStatements.get(0).get("Action")))
                    .containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents");
            assertThat(strings(logStatements.get(0).get("Resource")))
                    .containsExactly("${" + logGroup.substring(2, logGroup.length() - 1) + ".Arn}");
        }
    }

    @Test
    void resourceStar_isGrantedOnlyForActionsWithoutResourceLevelPermissions() {
        Set<String> onStar = new TreeSet<>();
        for (Template t : List.of(template, withSecretsAndKeys)) {
            t.findResources("AWS::IAM::Policy").values().forEach(policy ->
                    list(map(properties(policy).get("PolicyDocument")).get("Statement")).stream()
                            .map(CloudFormation::map)
                            .filter(statement -> strings(statement.get("Resource")).contains("*"))
                            .forEach(statement -> onStar.addAll(strings(statement.get("Action")))));
        }

        assertThat(onStar).isNotEmpty().isSubsetOf(WITHOUT_RESOURCE_LEVEL_PERMISSIONS);
        assertThat(onStar).noneMatch(action -> action.contains("*"));
    }

    @Test
    void rdsMutations_areScopedToThisAccountAndRegionAndCreateOnlyOurOwnGroups() {
        Map<String, List<String>> ensure = resourcesByAction(template, WorkflowStep.ENSURE_PARAMETER_GROUP);

        assertThat(ensure.get("rds:CreateDBParameterGroup")).containsExactly(RDS + "pg:cdc-enabler-*");
        assertThat(ensure.get("rds:CreateDBClusterParameterGroup")).containsExactly(RDS + "cluster-pg:cdc-enabler-*");
        assertThat(ensure.get("rds:ModifyDBParameterGroup")).containsExactly(RDS + "pg:*");
        assertThat(ensure.get("rds:ModifyDBClusterParameterGroup")).containsExactly(RDS + "cluster-pg:*");
        assertThat(ensure.get("rds:ModifyDBInstance")).containsExactlyInAnyOrder(RDS + "db:*",
                RDS + "pg:cdc-enabler-*");
        assertThat(ensure.get("rds:ModifyDBCluster")).containsExactlyInAnyOrder(RDS + "cluster:*",
                RDS + "cluster-pg:cdc-enabler-*");
        Map<String, List<String>> reboot = resourcesByAction(template, WorkflowStep.REBOOT);
        assertThat(reboot.get("rds:RebootDBInstance")).containsExactly(RDS + "db:*");
        assertThat(reboot.get("rds:RebootDBCluster")).containsExactly(RDS + "cluster:*");
    }

    @Test
    void prepareUpgrade_writesOnlyOurOwnGroups_andAttachesOrRebootsNothing() {
        Map<String, List<String>> prepare = resourcesByAction(template, WorkflowStep.PREPARE_UPGRADE);

        for (String action : List.of("rds:CreateDBParameterGroup", "rds:ModifyDBParameterGroup")) {
            assertThat(prepare.get(action)).as(action).containsExactly(RDS + "pg:cdc-enabler-*");
        }
        for (String action : List.of("rds:CreateDBClusterParameterGroup", "rds:ModifyDBClusterParameterGroup")) {
            assertThat(prepare.get(action)).as(action).containsExactly(RDS + "cluster-pg:cdc-enabler-*");
        }
        assertThat(prepare).doesNotContainKeys("rds:ModifyDBInstance", "rds:ModifyDBCluster", "rds:RebootDBInstance",
                "rds:RebootDBCluster", "rds:CopyDBParameterGroup", "secretsmanager:PutSecretValue");
        assertThat(prepare.keySet()).noneMatch(action -> action.startsWith("dynamodb:"));
    }

    @Test
    void secrets_areReadFromRdsMasterSecretsAndWrittenOnlyUnderTheCdcPrefix() {
        assertThat(resourcesByAction(template, WorkflowStep.READ_CREDENTIALS).get("secretsmanager:GetSecretValue"))
                .containsExactly(SECRETS + "rds!*");
        Map<String, List<String>> provision = resourcesByAction(template, WorkflowStep.PROVISION);
        assertThat(provision.get("secretsmanager:GetSecretValue"))
                .containsExactlyInAnyOrder(SECRETS + "rds!*", SECRETS + "cdc-enabler/*");
        for (String write : List.of("secretsmanager:CreateSecret", "secretsmanager:PutSecretValue",
                "secretsmanager:TagResource")) {
            assertThat(provision.get(write)).as(write).containsExactly(SECRETS + "cdc-enabler/*");
        }
        assertThat(resourcesByAction(template, WorkflowStep.VERIFY).get("secretsmanager:GetSecretValue"))
                .containsExactlyInAnyOrder(SECRETS + "rds!*", SECRETS + "cdc-enabler/*");
    }

    @Test
    void registry_isUsedOnlyByTheRegistrySteps_onItsOneTable_writtenItemByItem() {
        String table = "arn:" + ACCOUNT.formatted("dynamodb") + "table/cdc-enabler-registry";
        Map<WorkflowStep, List<String>> expected = Map.of(
                WorkflowStep.RECORD_ENROLMENT, List.of("dynamodb:GetItem", "dynamodb:PutItem"),
                WorkflowStep.RECORD_RESULT, List.of("dynamodb:GetItem", "dynamodb:PutItem"),
                WorkflowStep.RESOLVE_TARGETS, List.of("dynamodb:Scan", "dynamodb:Query"),
                WorkflowStep.CHECK_DRIFT, List.of("dynamodb:GetItem"));
        expected.forEach((step, dynamodb) -> {
            Map<String, List<String>> byAction = resourcesByAction(template, step);
            assertThat(actions(template, step).stream().filter(a -> a.startsWith("dynamodb:")))
                    .as(step.stateName()).containsExactlyInAnyOrderElementsOf(dynamodb);
            dynamodb.forEach(action -> assertThat(byAction.get(action)).as(action).containsExactly(table));
        });
        for (WorkflowStep step : WorkflowStep.values()) {
            if (!expected.containsKey(step)) {
                assertThat(actions(template, step)).as(step.stateName()).noneMatch(a -> a.startsWith("dynamodb:"));
            }
        }
    }

    @Test
    void adminSecretArnsAndKmsKeys_fromContext_areGrantedToTheStepsThatReadSecrets() {
        for (WorkflowStep step : WorkflowStep.values()) {
            Map<String, List<String>> byAction = resourcesByAction(withSecretsAndKeys, step);
            boolean readsSecrets = step == WorkflowStep.READ_CREDENTIALS || step == WorkflowStep.PROVISION
                    || step == WorkflowStep.VERIFY || step == WorkflowStep.CHECK_DRIFT
                    || step == WorkflowStep.PREPARE_UPGRADE;
            if (readsSecrets) {
                assertThat(byAction.get("secretsmanager:GetSecretValue")).as(step.stateName())
                        .contains(SECRETS + "rds!*", ADMIN_SECRET);
                assertThat(byAction.get("kms:Decrypt")).as(step.stateName()).containsExactly(KMS_KEY);
                Map<String, Object> kms = statements(withSecretsAndKeys, step).stream()
                        .filter(s -> strings(s.get("Action")).contains("kms:Decrypt")).findFirst().orElseThrow();
                assertThat(render(map(map(kms.get("Condition")).get("StringEquals")).get("kms:ViaService")))
                        .isEqualTo("secretsmanager.${AWS::Region}.amazonaws.com");
            } else {
                assertThat(byAction).as(step.stateName()).doesNotContainKeys("kms:Decrypt",
                        "secretsmanager:GetSecretValue");
            }
        }
        assertThat(actions(template, WorkflowStep.PROVISION)).doesNotContain("kms:Decrypt");
    }

    @Test
    void networkInterfacePermissions_takeTheFormLambdasVpcDocumentationGives() {
        for (WorkflowStep step : List.of(WorkflowStep.PROVISION, WorkflowStep.VERIFY)) {
            Map<String, List<String>> granted = resourcesByAction(template, step);

            for (String action : List.of("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                    "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses")) {
                assertThat(granted.get(action)).as(step + " " + action).containsExactly(EC2 + "*/*");
            }
            assertThat(granted.get("ec2:DescribeNetworkInterfaces")).as(step.toString()).containsExactly("*");
        }
        assertThat(resourcesByAction(template, WorkflowStep.REBOOT)).doesNotContainKey("ec2:CreateNetworkInterface");
    }

    private static Map<String, Object> function(Template t, WorkflowStep step) {
        return t.findResources("AWS::Lambda::Function").values().stream().map(CloudFormation::properties)
                .filter(p -> step.handler().equals(p.get("Handler"))).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> statements(Template t, WorkflowStep step) {
        String role = render(function(t, step).get("Role"));
        String roleRef = "${" + role.substring(2, role.indexOf('.')) + "}";
        List<Map<String, Object>> statements = new ArrayList<>();
        t.findResources("AWS::IAM::Policy").values().stream()
                .filter(policy -> strings(properties(policy).get("Roles")).contains(roleRef))
                .flatMap(policy -> list(map(properties(policy).get("PolicyDocument")).get("Statement")).stream())
                .map(CloudFormation::map)
                .forEach(statements::add);
        return statements;
    }

    private static Set<String> actions(Template t, WorkflowStep step) {
        Set<String> actions = new TreeSet<>();
        statements(t, step).forEach(s -> actions.addAll(strings(s.get("Action"))));
        actions.removeAll(Set.of("logs:CreateLogStream", "logs:PutLogEvents"));
        return actions;
    }

    private static Map<String, List<String>> resourcesByAction(Template t, WorkflowStep step) {
        Map<String, List<String>> byAction = new java.util.HashMap<>();
        statements(t, step).forEach(s -> strings(s.get("Action")).forEach(action ->
                byAction.computeIfAbsent(action, a -> new ArrayList<>()).addAll(strings(s.get("Resource")))));
        return byAction;
    }
}
