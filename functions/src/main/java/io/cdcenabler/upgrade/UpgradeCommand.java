package io.cdcenabler.upgrade;

import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.Topology;

/**
 * The AWS CLI command that runs the major version upgrade naming our group of the new family: modify-db-instance
 * for an instance, modify-db-cluster for an Aurora or Multi-AZ DB cluster (Aurora also names the DB parameter group
 * of its instances, as a major version upgrade of a cluster requires a group of the new family for them too).
 */
final class UpgradeCommand {
    private UpgradeCommand() {
    }

    /** The command for the upgrade of {@code target} to {@code version} with the groups of the new family. */
    static String of(TargetDescription target, String version, String group, String instanceGroup) {
        String identifier = target.request().identifier();
        boolean cluster = target.topology() == Topology.AURORA_CLUSTER
                || target.topology() == Topology.MULTI_AZ_CLUSTER;
        StringBuilder command = new StringBuilder("aws rds ");
        if (cluster) {
            command.append("modify-db-cluster --db-cluster-identifier ").append(identifier);
        } else {
            command.append("modify-db-instance --db-instance-identifier ").append(identifier);
        }
        command.append(" --engine-version ").append(version).append(" --allow-major-version-upgrade");
        if (cluster) {
            command.append(" --db-cluster-parameter-group-name ").append(group);
            if (instanceGroup != null) {
                command.append(" --db-instance-parameter-group-name ").append(instanceGroup);
            }
        } else {
            command.append(" --db-parameter-group-name ").append(group);
        }
        command.append(" --apply-immediately");
        return command.toString();
    }

    /** The command with {@code --region} when one is given. */
    static String inRegion(String command, String region) {
        return region == null || region.isBlank() ? command : command + " --region " + region;
    }
}
