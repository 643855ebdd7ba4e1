package io.cdcenabler.contract;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Per Task state, the IAM actions its handler's SDK calls need and the kind of resource each is granted on. The
 * stack builds each role from these grants; the workflow tests record the calls every handler makes and check them
 * against the same grants, both ways (no call without a grant, no grant without a call).
 */
public final class StepPermissions {
    /** What a grant's resources are; the stack turns each into ARNs of its account and Region. */
    public enum Scope {
        /** Every DB instance ({@code db:*}). */
        DB_INSTANCES,
        /** Every DB cluster ({@code cluster:*}). */
        DB_CLUSTERS,
        /** Every DB parameter group ({@code pg:*}): a user's own group may be copied or modified in place. */
        PARAMETER_GROUPS,
        /** Every DB cluster parameter group ({@code cluster-pg:*}). */
        CLUSTER_PARAMETER_GROUPS,
        /** Our own DB parameter groups ({@code pg:cdc-enabler-*}). */
        OWN_PARAMETER_GROUPS,
        /** Our own DB cluster parameter groups ({@code cluster-pg:cdc-enabler-*}). */
        OWN_CLUSTER_PARAMETER_GROUPS,
        /** RDS-managed master secrets ({@code rds!*}) and the admin secrets the deployment names. */
        ADMIN_SECRETS,
        /** The CDC secrets Provision creates ({@code cdc-enabler/*}). */
        CDC_SECRETS,
        /** Our own CloudWatch alarms ({@code alarm:cdc-enabler/*}): the guardrail alarms EnsureAlarms keeps. */
        OWN_ALARMS,
        /** Every Blue/Green deployment ({@code deployment:*}): DescribeBlueGreenDeployments is authorized on them. */
        BLUE_GREEN_DEPLOYMENTS,
        /** The enrolment registry: the one DynamoDB table the stack deploys ({@code table/<name>}). */
        REGISTRY_TABLE,
        /** Actions without resource-level permissions, which IAM only grants on {@code *}. */
        NO_RESOURCE_LEVEL
    }

    /** Some actions on some resources: one policy statement. */
    public record Grant(List<String> actions, List<Scope> resources) {
        public Grant {
            actions = List.copyOf(Objects.requireNonNull(actions, "actions"));
            resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
            if (actions.isEmpty() || resources.isEmpty()) {
                throw new IllegalArgumentException("a grant needs actions and resources, was " + actions + " on "
                        + resources);
            }
        }

        static Grant of(Scope resource, String... actions) {
            return new Grant(List.of(actions), List.of(resource));
        }
    }

    private StepPermissions() {
    }

    /** The grants of {@code state}'s role. */
    public static List<Grant> of(TaskState state) {
        return switch (state) {
            case DESCRIBE_TARGET -> List.of(
                    Grant.of(Scope.DB_INSTANCES, "rds:DescribeDBInstances"),
                    Grant.of(Scope.DB_CLUSTERS, "rds:DescribeDBClusters"),
                    Grant.of(Scope.NO_RESOURCE_LEVEL, "rds:DescribeDBEngineVersions"),
                    Grant.of(Scope.BLUE_GREEN_DEPLOYMENTS, "rds:DescribeBlueGreenDeployments"));
            case ENSURE_PARAMETER_GROUP -> ensureParameterGroup();
            case REBOOT -> List.of(
                    Grant.of(Scope.DB_INSTANCES, "rds:DescribeDBInstances", "rds:RebootDBInstance"),
                    Grant.of(Scope.DB_CLUSTERS, "rds:DescribeDBClusters", "rds:RebootDBCluster"));
            case CHECK_STATUS -> List.of(
                    Grant.of(Scope.DB_INSTANCES, "rds:DescribeDBInstances"),
                    Grant.of(Scope.DB_CLUSTERS, "rds:DescribeDBClusters"));
            case READ_CREDENTIALS -> List.of(Grant.of(Scope.ADMIN_SECRETS, "secretsmanager:GetSecretValue"));
            case PROVISION -> List.of(
                    readSecrets(),
                    Grant.of(Scope.CDC_SECRETS, "secretsmanager:CreateSecret", "secretsmanager:PutSecretValue",
                            "secretsmanager:TagResource"));
            case VERIFY -> List.of(
                    readSecrets());
            case ENSURE_ALARMS -> ensureAlarms();
            case RECORD_ENROLMENT, RECORD_RESULT -> List.of(
                    Grant.of(Scope.REGISTRY_TABLE, "dynamodb:GetItem", "dynamodb:PutItem"));
            case RESOLVE_TARGETS -> List.of(
                    Grant.of(Scope.REGISTRY_TABLE, "dynamodb:Scan", "dynamodb:Query"),
                    Grant.of(Scope.DB_INSTANCES, "rds:DescribeDBInstances"),
                    Grant.of(Scope.DB_CLUSTERS, "rds:DescribeDBClusters"),
                    Grant.of(Scope.BLUE_GREEN_DEPLOYMENTS, "rds:DescribeBlueGreenDeployments"));
            case CHECK_DRIFT -> checkDrift();
            case PREPARE_UPGRADE -> prepareUpgrade();
            case SUMMARISE -> List.of();
        };
    }

    /**
     * Read only: the registry record, the target and its parameter groups as RDS describes them, the admin secret to
     * log in and plan. No write action of any service.
     */
    private static List<Grant> checkDrift() {
        return List.of(
                Grant.of(Scope.REGISTRY_TABLE, "dynamodb:GetItem"),
                Grant.of(Scope.DB_INSTANCES, "rds:DescribeDBInstances"),
                Grant.of(Scope.DB_CLUSTERS, "rds:DescribeDBClusters"),
                Grant.of(Scope.NO_RESOURCE_LEVEL, "rds:DescribeDBEngineVersions"),
                Grant.of(Scope.PARAMETER_GROUPS, "rds:DescribeDBParameters"),
                Grant.of(Scope.CLUSTER_PARAMETER_GROUPS, "rds:DescribeDBClusterParameters"),
                Grant.of(Scope.ADMIN_SECRETS, "secretsmanager:GetSecretValue"),
                Grant.of(Scope.BLUE_GREEN_DEPLOYMENTS, "rds:DescribeBlueGreenDeployments"));
    }

    /**
     * prepare-upgrade as a workflow input: describes the target and the new version, creates or updates only our own
     * group of the new family (reading the group in effect for today's values), and logs in with the admin secret
     * to list blockers and drop our event trigger. It attaches nothing: the upgrade command the operator runs names
     * the group.
     */
    private static List<Grant> prepareUpgrade() {
        return List.of(
                Grant.of(Scope.DB_INSTANCES, "rds:DescribeDBInstances"),
                Grant.of(Scope.DB_CLUSTERS, "rds:DescribeDBClusters"),
                Grant.of(Scope.NO_RESOURCE_LEVEL, "rds:DescribeDBEngineVersions",
                        "rds:DescribeEngineDefaultParameters", "rds:DescribeEngineDefaultClusterParameters"),
                Grant.of(Scope.BLUE_GREEN_DEPLOYMENTS, "rds:DescribeBlueGreenDeployments"),
                Grant.of(Scope.PARAMETER_GROUPS, "rds:DescribeDBParameters"),
                Grant.of(Scope.CLUSTER_PARAMETER_GROUPS, "rds:DescribeDBClusterParameters"),
                Grant.of(Scope.OWN_PARAMETER_GROUPS, "rds:CreateDBParameterGroup", "rds:ModifyDBParameterGroup"),
                Grant.of(Scope.OWN_CLUSTER_PARAMETER_GROUPS, "rds:CreateDBClusterParameterGroup",
                        "rds:ModifyDBClusterParameterGroup"),
                Grant.of(Scope.ADMIN_SECRETS, "secretsmanager:GetSecretValue"));
    }

    /** Every action {@code state}'s role grants, sorted. */
    public static Set<String> actions(TaskState state) {
        Set<String> actions = new TreeSet<>();
        of(state).forEach(grant -> actions.addAll(grant.actions()));
        return actions;
    }

    /** Whether {@code state}'s handler reads secrets, and so needs the deployment's secret KMS keys. */
    public static boolean readsSecrets(TaskState state) {
        return actions(state).contains("secretsmanager:GetSecretValue");
    }

    /** Provision and Verify read the admin secret and the CDC secret (to reuse its password, or to log in). */
    private static Grant readSecrets() {
        return new Grant(List.of("secretsmanager:GetSecretValue"), List.of(Scope.ADMIN_SECRETS, Scope.CDC_SECRETS));
    }

    /**
     * DescribeAlarms on "*", the scope the CloudWatch API reference asks for (the step lists by name prefix); the
     * writes and the tag reads are scoped to our alarm names.
     * Creating an alarm with tags also needs {@code cloudwatch:TagResource} (PutMetricAlarm's Tags parameter).
     */
    private static List<Grant> ensureAlarms() {
        return List.of(
                Grant.of(Scope.NO_RESOURCE_LEVEL, "cloudwatch:DescribeAlarms"),
                Grant.of(Scope.OWN_ALARMS, "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms",
                        "cloudwatch:ListTagsForResource", "cloudwatch:TagResource"));
    }

    /**
     * Attaching our own group is allowed only together with the instance or cluster: ModifyDBInstance and
     * ModifyDBCluster are authorized on the target and on the parameter group they name.
     */
    private static List<Grant> ensureParameterGroup() {
        return List.of(
                Grant.of(Scope.DB_INSTANCES, "rds:DescribeDBInstances"),
                Grant.of(Scope.DB_CLUSTERS, "rds:DescribeDBClusters"),
                Grant.of(Scope.NO_RESOURCE_LEVEL, "rds:DescribeEngineDefaultParameters",
                        "rds:DescribeEngineDefaultClusterParameters"),
                Grant.of(Scope.OWN_PARAMETER_GROUPS, "rds:CreateDBParameterGroup"),
                Grant.of(Scope.OWN_CLUSTER_PARAMETER_GROUPS, "rds:CreateDBClusterParameterGroup"),
                Grant.of(Scope.PARAMETER_GROUPS, "rds:DescribeDBParameters", "rds:CopyDBParameterGroup",
                        "rds:ModifyDBParameterGroup"),
                Grant.of(Scope.CLUSTER_PARAMETER_GROUPS, "rds:DescribeDBClusterParameters",
                        "rds:CopyDBClusterParameterGroup", "rds:ModifyDBClusterParameterGroup"),
                new Grant(List.of("rds:ModifyDBInstance"), List.of(Scope.DB_INSTANCES, Scope.OWN_PARAMETER_GROUPS)),
                new Grant(List.of("rds:ModifyDBCluster"), List.of(Scope.DB_CLUSTERS,
                        Scope.OWN_CLUSTER_PARAMETER_GROUPS)));
    }
}
