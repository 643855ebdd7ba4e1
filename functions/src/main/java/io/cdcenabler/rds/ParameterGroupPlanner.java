package io.cdcenabler.rds;

import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.rds.ParameterGroupPlan.Action;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.SlotWalCap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides how to get rds.logical_replication=1 (and the WAL retention cap and the request's extra parameters) into
 * the parameter group in effect; pure, so every branch is testable without RDS.
 *
 * <p>Our own group is named per target and family: {@code cdc-enabler-<identifier>-<family>}. Per target, so that
 * changing it never puts another database into pending-reboot and each target's extra parameters stay its own;
 * per family, so that a major version upgrade gets a new group instead of reusing one of the wrong family. The
 * name is deterministic, so a re-run (or a run after a partial failure) finds and reuses it.
 */
public final class ParameterGroupPlanner {
    public static final String LOGICAL_REPLICATION = "rds.logical_replication";
    public static final String OWN_GROUP_PREFIX = ResourceNames.OWN_PARAMETER_GROUP_PREFIX;
    /**
     * The parameters we set that are dynamic: written with ApplyMethod immediate, they take effect without a reboot
     * and never make a target pending-reboot by themselves. Everything else is written pending-reboot.
     */
    public static final Set<String> DYNAMIC = Set.of(SlotWalCap.PARAMETER);
    private static final int MAX_GROUP_NAME = 255;

    /**
     * The values the group must hold for this request: rds.logical_replication, the WAL retention cap when the
     * request has one (DescribeTarget has turned a share into a size), then the extra parameters.
     */
    public Map<String, String> desiredParameters(ProvisioningRequest request) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put(LOGICAL_REPLICATION, "1");
        if (request.maxSlotWalKeepSize() != null) {
            desired.put(SlotWalCap.PARAMETER, SlotWalCap.parameterValue(request.maxSlotWalKeepSize()));
        }
        desired.putAll(new TreeMap<>(request.extraParameters()));
        return desired;
    }

    /** Whether setting {@code name} needs a reboot to take effect (every parameter but the {@link #DYNAMIC} ones). */
    public static boolean needsReboot(String name) {
        return !DYNAMIC.contains(name);
    }

    /**
     * @param groupInEffect the (cluster) parameter group attached now
     * @param currentValues the user-set values of that group (empty for a default group)
     */
    public ParameterGroupPlan plan(ProvisioningRequest request, String family, String groupInEffect,
                                   Map<String, String> currentValues) {
        Map<String, String> desired = desiredParameters(request);
        String own = ownGroupName(request.identifier(), family);
        if (isDefault(groupInEffect)) {
            return new ParameterGroupPlan(Action.CREATE, own, groupInEffect, desired);
        }
        Map<String, String> missing = missing(desired, currentValues);
        if (missing.isEmpty()) {
            return new ParameterGroupPlan(Action.NOTHING, groupInEffect, groupInEffect, Map.of());
        }
        if (request.copyParameterGroup() && !own.equals(groupInEffect)) {
            return new ParameterGroupPlan(Action.COPY, own, groupInEffect, desired);
        }
        return new ParameterGroupPlan(Action.MODIFY_IN_PLACE, groupInEffect, groupInEffect, missing);
    }

    /** The entries of {@code desired} that {@code current} lacks or holds with another value. */
    public static Map<String, String> missing(Map<String, String> desired, Map<String, String> current) {
        Map<String, String> missing = new LinkedHashMap<>();
        desired.forEach((name, value) -> {
            if (!value.equals(current.get(name))) {
                missing.put(name, value);
            }
        });
        return missing;
    }

    public static boolean isDefault(String groupName) {
        return groupName != null && groupName.startsWith("default.");
    }

    /** {@code cdc-enabler-<identifier>-<family>}, family characters other than letters and digits as hyphens. */
    public static String ownGroupName(String identifier, String family) {
        String name = OWN_GROUP_PREFIX + identifier.toLowerCase(Locale.ROOT) + "-"
                + family.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        name = name.replaceAll("-{2,}", "-").replaceAll("-$", "");
        return name.length() <= MAX_GROUP_NAME ? name : name.substring(0, MAX_GROUP_NAME).replaceAll("-$", "");
    }
}
