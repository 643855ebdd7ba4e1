package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What DescribeTarget found, or why the execution is skipped (an event for a non-PostgreSQL engine or an instance
 * without the opt-in tag). Never holds a secret value: the master secret is only referenced by ARN.
 *
 * @param parameterGroupName the DB parameter group, or the DB cluster parameter group for clusters
 * @param parameterApplyStatus in-sync, pending-reboot, applying, ... of the writer
 * @param writerInstanceIdentifier the instance to reboot and to connect to (null for a Multi-AZ DB cluster)
 * @param endpointHost the writer endpoint (instance endpoint or cluster writer endpoint), never a proxy
 * @param allocatedStorageGib the storage RDS reports for the target, in GiB; null when it has none to share (Aurora,
 *     whose storage grows on its own) or when an earlier version of the workflow described it
 * @param blueGreen what a Blue/Green deployment whose blue (source) database this target is means for CDC; null when
 *     there is none
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TargetDescription(
        boolean skipped,
        String skipReason,
        ProvisioningRequest request,
        Topology topology,
        String engine,
        String engineVersion,
        String family,
        String parameterGroupName,
        String parameterApplyStatus,
        String writerInstanceIdentifier,
        String endpointHost,
        int endpointPort,
        String database,
        String masterSecretArn,
        Integer allocatedStorageGib,
        String blueGreen) {

    public static TargetDescription skip(String reason) {
        return new TargetDescription(true, reason, null, null, null, null, null, null, null, null, null, 0, null,
                null, null, null);
    }
}
