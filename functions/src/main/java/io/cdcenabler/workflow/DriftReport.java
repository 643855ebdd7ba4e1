package io.cdcenabler.workflow;

import java.util.List;

/**
 * What a read-only drift check of one enrolled database found.
 *
 * @param drifted whether enrolling again would change something and can: true when there is a drift other than
 *     {@link Drift#TARGET_GONE}; a target that is gone has nothing to enrol, so it is reported with drifted false
 * @param drifts every drift found, in the order checked (RDS first, then the database); empty when none
 * @param rebootNeeded whether the group in effect waits for a reboot (parameter apply status pending-reboot)
 * @param engineVersion the engine version RDS reports now; null when the target is gone
 * @param parameterGroupName the parameter group recorded at enrolment, the one the check compared against
 */
public record DriftReport(boolean drifted, List<Drift> drifts, boolean rebootNeeded, String engineVersion,
                          String parameterGroupName) {

    public DriftReport {
        drifts = List.copyOf(drifts);
    }

    /** Whether the instance or cluster no longer exists. */
    public boolean targetGone() {
        return drifts.stream().anyMatch(drift -> Drift.TARGET_GONE.equals(drift.kind()));
    }
}
