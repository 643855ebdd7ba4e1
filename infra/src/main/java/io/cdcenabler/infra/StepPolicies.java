package io.cdcenabler.infra;

import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.contract.StepPermissions;
import io.cdcenabler.contract.StepPermissions.Grant;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;

/**
 * The policy statements of each function's role: the contract's {@link StepPermissions} of its Task state, each grant
 * scoped to ARNs of this account and Region; KMS Decrypt on the deployment's secret keys for the steps that read
 * secrets; and the network-interface actions Lambda needs for the functions in the VPC. Also the cdk-nag findings
 * those scopes raise, each with its reason.
 */
final class StepPolicies {
    private final Stack stack;
    private final CdcEnablerConfig config;

    StepPolicies(Stack stack, CdcEnablerConfig config) {
        this.stack = stack;
        this.config = config;
    }

    /** Exactly the SDK calls the step's handler makes, plus what Lambda itself needs to run it. */
    List<PolicyStatement> statements(WorkflowStep step) {
        List<PolicyStatement> statements = new ArrayList<>();
        for (Grant grant : StepPermissions.of(step.taskState())) {
            List<String> resources = new ArrayList<>();
            grant.resources().forEach(scope -> resources.addAll(arns(scope)));
            statements.add(allow(grant.actions(), resources));
        }
        if (StepPermissions.readsSecrets(step.taskState()) && !config.secretKmsKeyArns().isEmpty()) {
            statements.add(PolicyStatement.Builder.create()
                    .actions(List.of("kms:Decrypt"))
                    .resources(config.secretKmsKeyArns())
                    .conditions(Map.of("StringEquals", Map.of("kms:ViaService",
                            "secretsmanager." + Aws.REGION + ".amazonaws.com")))
                    .build());
        }
        if (step.inVpc()) {
            statements.addAll(networkInterfacePermissions());
        }
        return statements;
    }

    private List<String> arns(StepPermissions.Scope scope) {
        String own = ResourceNames.OWN_PARAMETER_GROUP_PREFIX + "*";
        return switch (scope) {
            case DB_INSTANCES -> List.of(rdsArn("db", "*"));
            case DB_CLUSTERS -> List.of(rdsArn("cluster", "*"));
            case PARAMETER_GROUPS -> List.of(rdsArn("pg", "*"));
            case CLUSTER_PARAMETER_GROUPS -> List.of(rdsArn("cluster-pg", "*"));
            case OWN_PARAMETER_GROUPS -> List.of(rdsArn("pg", own));
            case OWN_CLUSTER_PARAMETER_GROUPS -> List.of(rdsArn("cluster-pg", own));
            case ADMIN_SECRETS -> adminSecrets();
            case CDC_SECRETS -> List.of(secretArn(ResourceNames.CDC_SECRET_PREFIX + "*"));
            case OWN_ALARMS -> List.of(alarmArn());
            case BLUE_GREEN_DEPLOYMENTS -> List.of(rdsArn("deployment", "*"));
            case REGISTRY_TABLE -> List.of("arn:" + Aws.PARTITION + ":dynamodb:" + Aws.REGION + ":" + Aws.ACCOUNT_ID
                    + ":table/" + ResourceNames.REGISTRY_TABLE_NAME);
            case NO_RESOURCE_LEVEL -> List.of("*");
        };
    }

    /**
     * The actions of AWSLambdaVPCAccessExecutionRole, in the resource form the Lambda Developer Guide gives ("Configuring
     * VPC access"): ec2:DescribeNetworkInterfaces only works on "*", and for ec2:DeleteNetworkInterface "either
     * specify a unique resource ID, or include all resource IDs, for example arn:aws:ec2:us-west-2:123456789012:*&#47;*";
     * a narrower scope can make function creation or the clean-up of its network interfaces fail. The create, assign
     * and unassign actions take the same account-and-Region form (Lambda names the subnet, security group and
     * interface it works on).
     */
    private List<PolicyStatement> networkInterfacePermissions() {
        List<String> everyEc2Resource = List.of("arn:" + Aws.PARTITION + ":ec2:" + Aws.REGION + ":" + Aws.ACCOUNT_ID
                + ":*/*");
        return List.of(
                allow(List.of("ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
                        "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"), everyEc2Resource),
                allow(List.of("ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"), List.of("*")));
    }

    private List<String> adminSecrets() {
        List<String> arns = new ArrayList<>();
        arns.add(secretArn(ResourceNames.RDS_MASTER_SECRET_PREFIX + "*"));
        arns.addAll(config.adminSecretArns());
        return arns;
    }

    /** The cdk-nag findings the scopes above raise on {@code role}, each with the reason it is scoped so. */
    void suppressFindings(WorkflowStep step, Role role) {
        List<NagPackSuppression> suppressions = new ArrayList<>();
        suppressions.add(suppression("RDS Describe actions without resource-level permissions "
                + "(DescribeDBEngineVersions, DescribeEngineDefault(Cluster)Parameters), cloudwatch:DescribeAlarms (its API "
                + "reference asks for Resource *) and EC2 "
                + "DescribeNetworkInterfaces/DescribeSubnets (the Lambda VPC network interfaces) only accept "
                + "Resource *.",
                List.of("Resource::*")));
        String rds = "Resource::arn:<AWS::Partition>:rds:<AWS::Region>:<AWS::AccountId>:";
        String own = ResourceNames.OWN_PARAMETER_GROUP_PREFIX + "*";
        suppressions.add(suppression("The workflow works on any RDS instance or cluster of this account and region "
                + "that opted in (the opt-in tag is checked by DescribeTarget): db:* and cluster:* are scoped to the "
                + "account and region. Modifying a user's custom (cluster) parameter group in place, or copying it, "
                + "is a feature, so pg:* and cluster-pg:* are needed for Describe/Copy/Modify; Create and attach are "
                + "limited to our own " + own + " groups. DescribeTarget and CheckDrift look for Blue/Green "
                + "deployments by their source database and the reconciliation finds the one a switchover event names "
                + "by its generated ID, so DescribeBlueGreenDeployments is on deployment:* (read only).",
                List.of(rds + "db:*", rds + "cluster:*", rds + "pg:*", rds + "cluster-pg:*", rds + "pg:" + own,
                        rds + "cluster-pg:" + own, rds + "deployment:*")));
        String secrets = "Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:";
        suppressions.add(suppression("RDS-managed master secrets have generated names (rds!db-<uuid>, "
                + "rds!cluster-<uuid>) that are unknown at deploy time: " + ResourceNames.RDS_MASTER_SECRET_PREFIX
                + "* matches only those. CDC secrets are created per database at run time under the "
                + ResourceNames.CDC_SECRET_PREFIX + " prefix; Secrets Manager appends a random suffix.",
                List.of(secrets + ResourceNames.RDS_MASTER_SECRET_PREFIX + "*",
                        secrets + ResourceNames.CDC_SECRET_PREFIX + "*")));
        suppressions.add(suppression("The guardrail alarms are created per enrolled database at run time; their "
                + "names all start with " + Guardrails.ALARM_NAME_PREFIX + " (the writes and tag reads are limited to "
                + "those).",
                List.of("Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:"
                        + Guardrails.ALARM_NAME_PREFIX + "*")));
        if (step.inVpc()) {
            suppressions.add(suppression("Lambda creates and deletes the function's VPC network interfaces with the "
                    + "execution role; their IDs are generated, and the Lambda Developer Guide asks for all resource "
                    + "IDs (arn:aws:ec2:<region>:<account>:*/*) for these actions, in this account and region only.",
                    List.of("Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:*/*")));
        }
        NagSuppressions.addResourceSuppressions(role, suppressions, true);
    }

    private static NagPackSuppression suppression(String reason, List<String> appliesTo) {
        return NagPackSuppression.builder().id("AwsSolutions-IAM5").reason(reason).appliesTo(appliesTo).build();
    }

    private static PolicyStatement allow(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
    }

    private String rdsArn(String resourceType, String name) {
        return stack.formatArn(ArnComponents.builder().service("rds").resource(resourceType).resourceName(name)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
    }

    /** Our guardrail alarms: CloudWatch alarm ARNs are arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>. */
    private String alarmArn() {
        return stack.formatArn(ArnComponents.builder().service("cloudwatch").resource("alarm")
                .resourceName(Guardrails.ALARM_NAME_PREFIX + "*").arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
    }

    private String secretArn(String name) {
        return stack.formatArn(ArnComponents.builder().service("secretsmanager").resource("secret")
                .resourceName(name).arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
    }
}
