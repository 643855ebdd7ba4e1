package io.cdcenabler.rds;

import io.cdcenabler.workflow.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DescribeDbClusterParametersResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersResponse;
import software.amazon.awssdk.services.rds.model.EngineDefaults;
import software.amazon.awssdk.services.rds.model.Parameter;

/** {@link ParameterGroups} of an Aurora or Multi-AZ DB cluster: DB cluster parameter groups and ModifyDBCluster. */
final class ClusterParameterGroups implements ParameterGroups {
    private final RdsClient rds;

    ClusterParameterGroups(RdsClient rds) {
        this.rds = Objects.requireNonNull(rds, "rds");
    }

    @Override
    public String kind() {
        return "DB cluster";
    }

    @Override
    public Map<String, Boolean> modifiableInFamily(String family) {
        Map<String, Boolean> modifiable = new HashMap<>();
        String marker = null;
        do {
            String page = marker;
            EngineDefaults defaults = RdsErrors.call("DescribeEngineDefaultClusterParameters " + family,
                    () -> rds.describeEngineDefaultClusterParameters(r -> r.dbParameterGroupFamily(family)
                            .marker(page))).engineDefaults();
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
            DescribeDbClusterParametersResponse response = RdsErrors.call("DescribeDBClusterParameters " + group,
                    () -> rds.describeDBClusterParameters(r -> r.dbClusterParameterGroupName(group)
                            .source("user").marker(page)));
            InstanceParameterGroups.putValues(response.parameters(), values);
            marker = response.marker();
        } while (marker != null && !marker.isEmpty());
        return values;
    }

    @Override
    public boolean create(String name, String family) {
        try {
            RdsErrors.call("CreateDBClusterParameterGroup " + name, () -> rds.createDBClusterParameterGroup(
                    r -> r.dbClusterParameterGroupName(name).dbParameterGroupFamily(family).description(DESCRIPTION)));
            return true;
        } catch (DbParameterGroupAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public boolean copy(String source, String name) {
        try {
            RdsErrors.call("CopyDBClusterParameterGroup " + source + " -> " + name,
                    () -> rds.copyDBClusterParameterGroup(r -> r.sourceDBClusterParameterGroupIdentifier(source)
                            .targetDBClusterParameterGroupIdentifier(name)
                            .targetDBClusterParameterGroupDescription(DESCRIPTION + " (copy of " + source + ")")));
            return true;
        } catch (DbParameterGroupAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public void modify(String group, List<Parameter> batch) {
        RdsErrors.call("ModifyDBClusterParameterGroup " + group, () -> rds.modifyDBClusterParameterGroup(
                r -> r.dbClusterParameterGroupName(group).parameters(batch)));
    }

    /**
     * A Multi-AZ DB cluster applies a new DB cluster parameter group only with ApplyImmediately (else in the next
     * maintenance window); an Aurora cluster takes the new group name at once without it, so it is not asked to (it
     * would also apply every other pending modification of the target).
     */
    @Override
    public void attach(LiveTarget live, String group) {
        boolean immediately = live.topology() == Topology.MULTI_AZ_CLUSTER;
        RdsErrors.call("ModifyDBCluster " + live.clusterIdentifier(), () -> rds.modifyDBCluster(
                r -> r.dbClusterIdentifier(live.clusterIdentifier()).dbClusterParameterGroupName(group)
                        .applyImmediately(immediately ? Boolean.TRUE : null)));
    }

    @Override
    public List<String> sharers(String group, LiveTarget live) {
        List<String> sharers = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            DescribeDbClustersResponse response = RdsErrors.call("DescribeDBClusters",
                    () -> rds.describeDBClusters(r -> r.marker(page)));
            for (DBCluster c : response.dbClusters()) {
                if (group.equals(c.dbClusterParameterGroup()) && !c.dbClusterIdentifier().equals(live.identifier())) {
                    sharers.add(c.dbClusterIdentifier());
                }
            }
            marker = response.marker();
        } while (marker != null && !marker.isEmpty());
        sharers.sort(null);
        return sharers;
    }
}
