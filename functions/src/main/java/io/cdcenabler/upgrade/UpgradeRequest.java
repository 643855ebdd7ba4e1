package io.cdcenabler.upgrade;

import io.cdcenabler.workflow.ProvisioningRequest;

/**
 * What prepare-upgrade is asked to do.
 *
 * @param target the instance or cluster (its request fields as for enrolment; only the identifier and the parameter
 *     fields matter here)
 * @param targetVersion a major ({@code 17}) or a full version ({@code 17.4})
 * @param region named in the printed AWS CLI command when not null
 * @param dryRun compute everything, change nothing
 */
public record UpgradeRequest(ProvisioningRequest target, String targetVersion, String region, boolean dryRun) {
}
