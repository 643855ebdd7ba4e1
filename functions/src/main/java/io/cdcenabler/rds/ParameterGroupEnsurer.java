package io.cdcenabler.rds;

import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.StepOutcomes.ParameterGroupOutcome;
import io.cdcenabler.workflow.TargetDescription;
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
 * {@link ParameterGroupPlanner} decides. Re-reads the target first, so a second run changes nothing.
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
                attach(live, plan.groupName());
                attached = true;
            }
            default -> throw new IllegalStateException("unhandled plan " + plan.action());
        }
        boolean rebootRequired = created || modified || attached || PENDING_REBOOT.equals(live.parameterApplyStatus());
        ParameterGroupOutcome outcome = new ParameterGroupOutcome(plan.groupName(), created, modified, attached,
                rebootRequired, sharedWith);
        DecisionLog.decision(LOG, "EnsureParameterGroup", live.identifier(), "topology", live.topology(),
                "groupInEffect", inEffect, "action", plan.action(), "parameterGroup", plan.groupName(),
                "parameters", plan.parameters().keySet(), "created", created, "modified", modified,
                "attached", attached, "rebootRequired", rebootRequired, "sharedWith", sharedWith);
        return outcome;
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

    /** Attaches {@code group}; the name changes at once, its static values wait for the reboot (pending-reboot). */
    private void attach(LiveTarget live, String group) {
        if (group.equals(live.parameterGroupName())) {
            return;
        }
        if (live.isCluster()) {
            RdsErrors.call("ModifyDBCluster " + live.clusterIdentifier(), () -> rds.modifyDBCluster(
                    r -> r.dbClusterIdentifier(live.clusterIdentifier()).dbClusterParameterGroupName(group)));
        } else {
            RdsErrors.call("ModifyDBInstance " + live.identifier(), () -> rds.modifyDBInstance(
                    r -> r.dbInstanceIdentifier(live.identifier()).dbParameterGroupName(group)));
        }
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
