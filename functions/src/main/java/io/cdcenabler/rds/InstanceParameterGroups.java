package io.cdcenabler.rds;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbParametersResponse;
import software.amazon.awssdk.services.rds.model.EngineDefaults;
import software.amazon.awssdk.services.rds.model.Parameter;

/** {@link ParameterGroups} of a DB instance: DB parameter groups and ModifyDBInstance. */
final class InstanceParameterGroups implements ParameterGroups {
    private final RdsClient rds;

    InstanceParameterGroups(RdsClient rds) {
        this.rds = Objects.requireNonNull(rds, "rds");
    }

    @Override
    public String kind() {
        return "DB";
    }

    @Override
    public Map<String, Boolean> modifiableInFamily(String family) {
        Map<String, Boolean> modifiable = new HashMap<>();
        String marker = null;
        do {
            String page = marker;
            EngineDefaults defaults = RdsErrors.call("DescribeEngineDefaultParameters " + family,
                    () -> rds.describeEngineDefaultParameters(r -> r.dbParameterGroupFamily(family).marker(page)))
                    .engineDefaults();
            defaults.parameters().forEach(p -> modifiable.put(p.parameterName(), Boolean.TRUE.equals(p.isModifiable())));
            marker = defaults.marker();
        } while (marker != null && !marker.isEmpty());
        return modifiable;
    }

    @Override
    public Map<String, String> userParameters(String group) {
        Map<String, String> values = new HashMap<>();
        String marker = null;
        do {
            String page = marker;
            DescribeDbParametersResponse response = RdsErrors.call("DescribeDBParameters " + group,
                    () -> rds.describeDBParameters(r -> r.dbParameterGroupName(group).source("user").marker(page)));
            putValues(response.parameters(), values);
            marker = response.marker();
        } while (marker != null && !marker.isEmpty());
        return values;
    }

    static void putValues(List<Parameter> parameters, Map<String, String> values) {
        parameters.stream().filter(p -> p.parameterValue() != null)
                .forEach(p -> values.put(p.parameterName(), p.parameterValue()));
    }

    @Override
    public boolean create(String name, String family) {
        try {
            RdsErrors.call("CreateDBParameterGroup " + name, () -> rds.createDBParameterGroup(
                    r -> r.dbParameterGroupName(name).dbParameterGroupFamily(family).description(DESCRIPTION)));
            return true;
        } catch (DbParameterGroupAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public boolean copy(String source, String name) {
        try {
            RdsErrors.call("CopyDBParameterGroup " + source + " -> " + name,
                    () -> rds.copyDBParameterGroup(r -> r.sourceDBParameterGroupIdentifier(source)
                            .targetDBParameterGroupIdentifier(name)
                            .targetDBParameterGroupDescription(DESCRIPTION + " (copy of " + source + ")")));
            return true;
        } catch (DbParameterGroupAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public void modify(String group, List<Parameter> batch) {
        RdsErrors.call("ModifyDBParameterGroup " + group, () -> rds.modifyDBParameterGroup(
                r -> r.dbParameterGroupName(group).parameters(batch)));
    }

    /** A DB instance takes the new group name at once (its static values wait for the reboot). */
    @Override
    public void attach(LiveTarget live, String group) {
        RdsErrors.call("ModifyDBInstance " + live.identifier(), () -> rds.modifyDBInstance(
                r -> r.dbInstanceIdentifier(live.identifier()).dbParameterGroupName(group)));
    }

    @Override
    public List<String> sharers(String group, LiveTarget live) {
        List<String> sharers = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            DescribeDbInstancesResponse response = RdsErrors.call("DescribeDBInstances",
                    () -> rds.describeDBInstances(r -> r.marker(page)));
            for (DBInstance i : response.dbInstances()) {
                if (i.dbParameterGroups().stream().anyMatch(g -> group.equals(g.dbParameterGroupName()))
                        && !i.dbInstanceIdentifier().equals(live.identifier())) {
                    sharers.add(i.dbInstanceIdentifier());
                }
            }
            marker = response.marker();
        } while (marker != null && !marker.isEmpty());
        sharers.sort(null);
        return sharers;
    }
}
