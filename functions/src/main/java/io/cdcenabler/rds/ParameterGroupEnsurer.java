package io.cdcenabler.rds;

import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.StepOutcomes.ParameterGroupOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.Topology;
import io.cdcenabler.workflow.WaitTimeoutException;
import io.cdcenabler.workflow.WorkflowState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DescribeDbClusterParametersResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbParametersResponse;
import software.amazon.awssdk.services.rds.model.EngineDefaults;
import software.amazon.awssdk.services.rds.model.Parameter;

/**
 * EnsureParameterGroup: gets rds.logical_replication=1 (pending-reboot) and the request's extra parameters into the
 * DB parameter group of an instance, or the DB cluster parameter group of an Aurora or Multi-AZ DB cluster, as
 * {@link ParameterGroupPlanner} decides. Re-reads the target first, so a second run changes nothing. A target that is
 * busy (backing-up, modifying, ...) when the group must be attached is waited out: the outcome says waitForTarget and
 * the state machine calls again after waitSeconds, bounded like the status checks.
 */
public final class ParameterGroupEnsurer {
    /** ModifyDBParameterGroup and ModifyDBClusterParameterGroup take at most this many parameters per call. */
    static final int MAX_PARAMETERS_PER_CALL = 20;
    private static final String PENDING_REBOOT = "pending-reboot";
    private static final String DESCRIPTION = "cdc-enabler: logical replication for change data capture";
    private static final Logger LOG = LoggerFactory.getLogger(ParameterGroupEnsurer.class);

    private final RdsClient rds;
    private final ParameterGroupPlanner planner;

    public ParameterGroupEnsurer(RdsClient rds, ParameterGroupPlanner planner) {
        this.rds = Objects.requireNonNull(rds, "rds");
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    public ParameterGroupOutcome ensure(WorkflowState state) {
        TargetDescription target = LiveTarget.targetOf(state);
        LiveTarget live = LiveTarget.read(rds, target);
        TerminalStatuses.requireRecoverable(live);
        boolean cluster = live.isCluster();
        String inEffect = live.parameterGroupName();
        Map<String, String> current = ParameterGroupPlanner.isDefault(inEffect) ? Map.of()
                : userParameters(inEffect, cluster);
        ParameterGroupPlan plan = planner.plan(target.request(), target.family(), inEffect, current);
        if (plan.action() != ParameterGroupPlan.Action.NOTHING) {
            requireKnownParameters(target.request().extraParameters().keySet(), target.family(), cluster);
        }

        boolean created = false;
        boolean modified = false;
        boolean attached = false;
        boolean waitForTarget = false;
        List<String> sharedWith = List.of();
        switch (plan.action()) {
            case NOTHING -> sharedWith = sharers(inEffect, live);
            case MODIFY_IN_PLACE -> {
                sharedWith = sharers(inEffect, live);
                modified = setParameters(inEffect, cluster, plan.parameters());
            }
            case CREATE, COPY -> {
                created = plan.action() == ParameterGroupPlan.Action.CREATE
                        ? create(plan.groupName(), target.family(), cluster)
                        : copy(plan.sourceGroupName(), plan.groupName(), cluster);
                Map<String, String> toSet = ParameterGroupPlanner.missing(plan.parameters(),
                        userParameters(plan.groupName(), cluster));
                modified = setParameters(plan.groupName(), cluster, toSet);
                // RDS refuses ModifyDBInstance / ModifyDBCluster while the target is backing-up, modifying, ...:
                // wait that out in the state machine (as the status loop does) instead of spending retries on it.
                waitForTarget = !"available".equals(live.status());
                if (!waitForTarget) {
                    attached = attach(live, plan.groupName());
                }
            }
            default -> throw new IllegalStateException("unhandled plan " + plan.action());
        }
        ParameterGroupOutcome outcome = accumulate(state, new ParameterGroupOutcome(plan.groupName(), created,
                modified, attached, false, sharedWith, waitForTarget, 0), live);
        DecisionLog.decision(LOG, "EnsureParameterGroup", live.identifier(), "topology", live.topology(),
                "status", live.status(), "groupInEffect", inEffect, "action", plan.action(), "parameterGroup",
                plan.groupName(), "parameters", plan.parameters().keySet(), "created", created, "modified", modified,
                "attached", attached, "rebootRequired", outcome.rebootRequired(), "sharedWith", sharedWith,
                "waitForTarget", waitForTarget, "waits", outcome.waits());
        requireWithinWaitLimit(outcome, target, live);
        return outcome;
    }

    /** A target busy for longer than the request's status checks allow ends the run with a WaitTimeoutException. */
    private static void requireWithinWaitLimit(ParameterGroupOutcome outcome, TargetDescription target,
                                               LiveTarget live) {
        if (outcome.waitForTarget() && outcome.waits() >= target.request().maxStatusChecks()) {
            throw new WaitTimeoutException((live.isCluster() ? "DB cluster " : "DB instance ") + live.identifier()
                    + " stayed " + live.status() + " for " + outcome.waits() + " checks " + target.request()
                    .waitSeconds() + " s apart (waitTimeoutMinutes=" + target.request().waitTimeoutMinutes()
                    + "), so parameter group " + outcome.parameterGroupName() + " could not be attached; run the "
                    + "workflow again when it is available");
        }
    }

    /** Adds this call's work to what earlier calls of the same execution did (they waited for a busy target). */
    private static ParameterGroupOutcome accumulate(WorkflowState state, ParameterGroupOutcome now, LiveTarget live) {
        ParameterGroupOutcome before = state.parameterGroup();
        boolean created = now.created() || (before != null && before.created());
        boolean modified = now.modified() || (before != null && before.modified());
        boolean attached = now.attached() || (before != null && before.attached());
        int waits = (before == null ? 0 : before.waits()) + (now.waitForTarget() ? 1 : 0);
        boolean rebootRequired = !now.waitForTarget()
                && (created || modified || attached || PENDING_REBOOT.equals(live.parameterApplyStatus()));
        return new ParameterGroupOutcome(now.parameterGroupName(), created, modified, attached, rebootRequired,
                now.sharedWith(), now.waitForTarget(), waits);
    }

    /**
     * Fails before anything changes when an extra parameter does not exist in the family or cannot be modified,
     * instead of half-way through (after creating a group) with RDS's InvalidParameterValue.
     */
    private void requireKnownParameters(java.util.Set<String> names, String family, boolean cluster) {
        if (names.isEmpty()) {
            return;
        }
        Map<String, Boolean> modifiable = new HashMap<>();
        String marker = null;
        do {
            String page = marker;
            EngineDefaults defaults = cluster
                    ? RdsErrors.call("DescribeEngineDefaultClusterParameters " + family,
                            () -> rds.describeEngineDefaultClusterParameters(r -> r.dbParameterGroupFamily(family)
                                    .marker(page))).engineDefaults()
                    : RdsErrors.call("DescribeEngineDefaultParameters " + family,
                            () -> rds.describeEngineDefaultParameters(r -> r.dbParameterGroupFamily(family)
                                    .marker(page))).engineDefaults();
            defaults.parameters().forEach(p -> modifiable.put(p.parameterName(), Boolean.TRUE.equals(p.isModifiable())));
            marker = defaults.marker();
        } while (marker != null && !marker.isEmpty());
        List<String> unknown = names.stream().filter(n -> !modifiable.containsKey(n)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("extraParameters names parameters that "
                    + (cluster ? "DB cluster" : "DB") + " parameter group family " + family + " does not have: "
                    + unknown);
        }
        List<String> fixed = names.stream().filter(n -> !modifiable.get(n)).sorted().toList();
        if (!fixed.isEmpty()) {
            throw new InvalidInputException("extraParameters names parameters RDS does not let "
                    + "you modify in family " + family + ": " + fixed);
        }
    }

    /** The values set by a user in {@code group} (Source=user), across every page. */
    Map<String, String> userParameters(String group, boolean cluster) {
        Map<String, String> values = new HashMap<>();
        String marker = null;
        do {
            String page = marker;
            List<Parameter> parameters;
            if (cluster) {
                DescribeDbClusterParametersResponse response = RdsErrors.call("DescribeDBClusterParameters " + group,
                        () -> rds.describeDBClusterParameters(r -> r.dbClusterParameterGroupName(group)
                                .source("user").marker(page)));
                parameters = response.parameters();
                marker = response.marker();
            } else {
                DescribeDbParametersResponse response = RdsErrors.call("DescribeDBParameters " + group,
                        () -> rds.describeDBParameters(r -> r.dbParameterGroupName(group).source("user").marker(page)));
                parameters = response.parameters();
                marker = response.marker();
            }
            parameters.stream().filter(p -> p.parameterValue() != null)
                    .forEach(p -> values.put(p.parameterName(), p.parameterValue()));
        } while (marker != null && !marker.isEmpty());
        return values;
    }

    private boolean create(String name, String family, boolean cluster) {
        try {
            if (cluster) {
                RdsErrors.call("CreateDBClusterParameterGroup " + name, () -> rds.createDBClusterParameterGroup(
                        r -> r.dbClusterParameterGroupName(name).dbParameterGroupFamily(family).description(DESCRIPTION)));
            } else {
                RdsErrors.call("CreateDBParameterGroup " + name, () -> rds.createDBParameterGroup(
                        r -> r.dbParameterGroupName(name).dbParameterGroupFamily(family).description(DESCRIPTION)));
            }
            return true;
        } catch (DbParameterGroupAlreadyExistsException e) {
            return false;
        }
    }

    private boolean copy(String source, String name, boolean cluster) {
        try {
            if (cluster) {
                RdsErrors.call("CopyDBClusterParameterGroup " + source + " -> " + name,
                        () -> rds.copyDBClusterParameterGroup(r -> r.sourceDBClusterParameterGroupIdentifier(source)
                                .targetDBClusterParameterGroupIdentifier(name)
                                .targetDBClusterParameterGroupDescription(DESCRIPTION + " (copy of " + source + ")")));
            } else {
                RdsErrors.call("CopyDBParameterGroup " + source + " -> " + name,
                        () -> rds.copyDBParameterGroup(r -> r.sourceDBParameterGroupIdentifier(source)
                                .targetDBParameterGroupIdentifier(name)
                                .targetDBParameterGroupDescription(DESCRIPTION + " (copy of " + source + ")")));
            }
            return true;
        } catch (DbParameterGroupAlreadyExistsException e) {
            return false;
        }
    }

    /** Sets {@code values} with ApplyMethod pending-reboot (the only one a static parameter accepts), 20 per call. */
    private boolean setParameters(String group, boolean cluster, Map<String, String> values) {
        List<Parameter> parameters = values.entrySet().stream().map(e -> Parameter.builder()
                .parameterName(e.getKey()).parameterValue(e.getValue()).applyMethod(ApplyMethod.PENDING_REBOOT)
                .build()).toList();
        for (int from = 0; from < parameters.size(); from += MAX_PARAMETERS_PER_CALL) {
            List<Parameter> batch = parameters.subList(from, Math.min(parameters.size(), from + MAX_PARAMETERS_PER_CALL));
            if (cluster) {
                RdsErrors.call("ModifyDBClusterParameterGroup " + group, () -> rds.modifyDBClusterParameterGroup(
                        r -> r.dbClusterParameterGroupName(group).parameters(batch)));
            } else {
                RdsErrors.call("ModifyDBParameterGroup " + group, () -> rds.modifyDBParameterGroup(
                        r -> r.dbParameterGroupName(group).parameters(batch)));
            }
        }
        return !parameters.isEmpty();
    }

    /**
     * Attaches {@code group}; its static values wait for the reboot (pending-reboot). A Multi-AZ DB cluster applies a
     * new DB cluster parameter group only with ApplyImmediately (else in the next maintenance window); an Aurora
     * cluster and a DB instance take the new group name at once without it, so they are not asked to (it would also
     * apply every other pending modification of the target).
     */
    private boolean attach(LiveTarget live, String group) {
        if (group.equals(live.parameterGroupName())) {
            return false;
        }
        if (live.isCluster()) {
            boolean immediately = live.topology() == Topology.MULTI_AZ_CLUSTER;
            RdsErrors.call("ModifyDBCluster " + live.clusterIdentifier(), () -> rds.modifyDBCluster(
                    r -> r.dbClusterIdentifier(live.clusterIdentifier()).dbClusterParameterGroupName(group)
                            .applyImmediately(immediately ? Boolean.TRUE : null)));
        } else {
            RdsErrors.call("ModifyDBInstance " + live.identifier(), () -> rds.modifyDBInstance(
                    r -> r.dbInstanceIdentifier(live.identifier()).dbParameterGroupName(group)));
        }
        return true;
    }

    /** The other instances (or clusters) that use {@code group}: changing it in place affects them too. */
    private List<String> sharers(String group, LiveTarget live) {
        List<String> sharers = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            if (live.isCluster()) {
                DescribeDbClustersResponse response = RdsErrors.call("DescribeDBClusters",
                        () -> rds.describeDBClusters(r -> r.marker(page)));
                for (DBCluster c : response.dbClusters()) {
                    if (group.equals(c.dbClusterParameterGroup()) && !c.dbClusterIdentifier().equals(live.identifier())) {
                        sharers.add(c.dbClusterIdentifier());
                    }
                }
                marker = response.marker();
            } else {
                DescribeDbInstancesResponse response = RdsErrors.call("DescribeDBInstances",
                        () -> rds.describeDBInstances(r -> r.marker(page)));
                for (DBInstance i : response.dbInstances()) {
                    if (i.dbParameterGroups().stream().anyMatch(g -> group.equals(g.dbParameterGroupName()))
                            && !i.dbInstanceIdentifier().equals(live.identifier())) {
                        sharers.add(i.dbInstanceIdentifier());
                    }
                }
                marker = response.marker();
            }
        } while (marker != null && !marker.isEmpty());
        sharers.sort(null);
        return sharers;
    }
}
