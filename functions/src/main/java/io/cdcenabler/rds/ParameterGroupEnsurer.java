package io.cdcenabler.rds;

import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.SlotWalCap;
import io.cdcenabler.workflow.StepOutcomes.ParameterGroupOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.WaitTimeoutException;
import io.cdcenabler.workflow.WorkflowState;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
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
        ParameterGroups groups = ParameterGroups.of(rds, live);
        String inEffect = live.parameterGroupName();
        Map<String, String> current = ParameterGroupPlanner.isDefault(inEffect) ? Map.of()
                : groups.userParameters(inEffect);
        ParameterGroupPlan plan = planner.plan(target.request(), target.family(), inEffect, current);
        if (plan.action() != ParameterGroupPlan.Action.NOTHING) {
            requireKnownParameters(groups, plan.parameters().keySet(), target);
        }

        boolean created = false;
        boolean modified = false;
        boolean attached = false;
        boolean waitForTarget = false;
        List<String> sharedWith = List.of();
        switch (plan.action()) {
            case NOTHING -> sharedWith = groups.sharers(inEffect, live);
            case MODIFY_IN_PLACE -> {
                sharedWith = groups.sharers(inEffect, live);
                modified = setParameters(groups, inEffect, plan.parameters());
            }
            case CREATE, COPY -> {
                created = plan.action() == ParameterGroupPlan.Action.CREATE
                        ? groups.create(plan.groupName(), target.family())
                        : groups.copy(plan.sourceGroupName(), plan.groupName());
                Map<String, String> toSet = ParameterGroupPlanner.missing(plan.parameters(),
                        groups.userParameters(plan.groupName()));
                modified = setParameters(groups, plan.groupName(), toSet);
                // RDS refuses ModifyDBInstance / ModifyDBCluster while the target is backing-up, modifying, ...:
                // wait that out in the state machine (as the status loop does) instead of spending retries on it.
                waitForTarget = !"available".equals(live.status());
                if (!waitForTarget) {
                    attached = attach(groups, live, plan.groupName());
                }
            }
            default -> throw new IllegalStateException("unhandled plan " + plan.action());
        }
        ParameterGroupOutcome outcome = accumulate(state, new ParameterGroupOutcome(plan.groupName(), created,
                modified, attached, false, sharedWith, waitForTarget, 0), live);
        DecisionLog.decision(LOG, "EnsureParameterGroup", live.identifier(), "topology", live.topology(),
                "status", live.status(), "groupInEffect", inEffect, "action", plan.action(), "parameterGroup",
                plan.groupName(), "parameters", plan.parameters(), "created", created, "modified", modified,
                "attached", attached, "rebootRequired", outcome.rebootRequired(), "sharedWith", sharedWith,
                "waitForTarget", waitForTarget, "waits", outcome.waits());
        requireWithinWaitLimit(outcome, target, live);
        return outcome;
    }

    /**
     * Gets our own group of {@code family} (the family of a major version the target is to be upgraded to) ready with
     * the CDC values of today's group, without attaching it: RDS accepts a group of another family only together with
     * the upgrade (ModifyDBInstance / ModifyDBCluster with the new EngineVersion). The values are what enrolment
     * sets for the request, with the ones set by a user in the group in effect over them (none for a default group:
     * today's WAL cap wins over the default share) and rds.logical_replication=1; names the new family does not have
     * or does not let a user modify fail before anything changes. A re-run finds the group complete and changes nothing; with {@code dryRun} nothing is changed at all.
     */
    public UpgradeGroup ensureForFamily(TargetDescription target, String family, boolean dryRun) {
        LiveTarget live = LiveTarget.read(rds, target);
        ParameterGroups groups = ParameterGroups.of(rds, live);
        String inEffect = live.parameterGroupName();
        Map<String, String> desired = new TreeMap<>(planner.desiredParameters(target.request()));
        if (inEffect != null && !ParameterGroupPlanner.isDefault(inEffect)) {
            desired.putAll(groups.userParameters(inEffect));
        }
        desired.put(ParameterGroupPlanner.LOGICAL_REPLICATION, "1");
        requireModifiableInFamily(groups, desired.keySet(), family);
        String name = ParameterGroupPlanner.ownGroupName(target.request().identifier(), family);
        Optional<Map<String, String>> existing = groups.userParametersIfExists(name);
        Map<String, String> toSet = ParameterGroupPlanner.missing(desired, existing.orElse(Map.of()));
        UpgradeGroup.Change change = existing.isEmpty() ? UpgradeGroup.Change.CREATE
                : toSet.isEmpty() ? UpgradeGroup.Change.NONE : UpgradeGroup.Change.UPDATE;
        if (!dryRun) {
            if (change == UpgradeGroup.Change.CREATE) {
                groups.create(name, family);
                // a group created by a concurrent run may already hold some of the values
                toSet = ParameterGroupPlanner.missing(desired, groups.userParameters(name));
            }
            setParameters(groups, name, toSet);
        }
        DecisionLog.decision(LOG, "PrepareUpgradeParameterGroup", live.identifier(), "groupInEffect", inEffect,
                "family", family, "parameterGroup", name, "change", change, "parameters", desired, "toSet", toSet,
                "dryRun", dryRun);
        return new UpgradeGroup(name, groups.kind(), family, desired, change, toSet, !dryRun);
    }

    /** Fails before anything changes when {@code family} lacks one of {@code names} or does not let a user set it. */
    private static void requireModifiableInFamily(ParameterGroups groups, Set<String> names, String family) {
        Map<String, Boolean> modifiable = groups.modifiableInFamily(family);
        List<String> unknown = names.stream().filter(n -> !modifiable.containsKey(n)).sorted().toList();
        List<String> fixed = names.stream().filter(n -> Boolean.FALSE.equals(modifiable.get(n))).sorted().toList();
        if (!unknown.isEmpty() || !fixed.isEmpty()) {
            throw new InvalidInputException(groups.kind() + " parameter group family " + family + " of the upgrade "
                    + "target " + (unknown.isEmpty() ? "" : "does not have " + unknown + (fixed.isEmpty() ? "" : " and "))
                    + (fixed.isEmpty() ? "" : "does not let you modify " + fixed) + ", which today's group sets; "
                    + "nothing was changed: remove them from the group in effect, or upgrade by hand");
        }
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
     * Fails before anything changes when an extra parameter or the WAL retention cap does not exist in the family or
     * cannot be modified, instead of half-way through (after creating a group) with RDS's InvalidParameterValue.
     */
    private static void requireKnownParameters(ParameterGroups groups, Set<String> planned, TargetDescription target) {
        boolean cap = planned.contains(SlotWalCap.PARAMETER);
        Set<String> names = target.request().extraParameters().keySet();
        if (names.isEmpty() && !cap) {
            return;
        }
        String family = target.family();
        Map<String, Boolean> modifiable = groups.modifiableInFamily(family);
        if (cap && !Boolean.TRUE.equals(modifiable.get(SlotWalCap.PARAMETER))) {
            throw new InvalidInputException(SlotWalCap.FIELD + " " + target.request().maxSlotWalKeepSize()
                    + " needs the parameter " + SlotWalCap.PARAMETER + ", which " + groups.kind()
                    + " parameter group family " + family + " does not let you modify (PostgreSQL 13 or later has "
                    + "it); upgrade the engine, or leave the cap out of the request");
        }
        List<String> unknown = names.stream().filter(n -> !modifiable.containsKey(n)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new InvalidInputException("extraParameters names parameters that " + groups.kind()
                    + " parameter group family " + family + " does not have: " + unknown);
        }
        List<String> fixed = names.stream().filter(n -> !modifiable.get(n)).sorted().toList();
        if (!fixed.isEmpty()) {
            throw new InvalidInputException("extraParameters names parameters RDS does not let "
                    + "you modify in family " + family + ": " + fixed);
        }
    }

    /**
     * Sets {@code values}, 20 per call: the dynamic ones we know ({@link ParameterGroupPlanner#DYNAMIC}) with
     * ApplyMethod immediate, so they never need a reboot, the others pending-reboot (the only method a static
     * parameter accepts). Returns whether a pending-reboot value was set: only that calls for a reboot.
     */
    private static boolean setParameters(ParameterGroups groups, String group, Map<String, String> values) {
        List<Parameter> parameters = values.entrySet().stream().map(e -> Parameter.builder()
                .parameterName(e.getKey()).parameterValue(e.getValue())
                .applyMethod(ParameterGroupPlanner.needsReboot(e.getKey()) ? ApplyMethod.PENDING_REBOOT
                        : ApplyMethod.IMMEDIATE)
                .build()).toList();
        for (int from = 0; from < parameters.size(); from += MAX_PARAMETERS_PER_CALL) {
            groups.modify(group, parameters.subList(from, Math.min(parameters.size(), from + MAX_PARAMETERS_PER_CALL)));
        }
        return values.keySet().stream().anyMatch(ParameterGroupPlanner::needsReboot);
    }

    /** Attaches {@code group} unless it is already in effect; its static values wait for the reboot. */
    private static boolean attach(ParameterGroups groups, LiveTarget live, String group) {
        if (group.equals(live.parameterGroupName())) {
            return false;
        }
        groups.attach(live, group);
        return true;
    }
}
