package io.cdcenabler.workflow;

import java.util.List;

/**
 * The RDS half of a drift check, read-only: describes the enrolled target again and compares its parameter group
 * with the one recorded at enrolment and with the values enrolment plans. Implemented beside the RDS client (package
 * rds), so the drift step reaches RDS without depending on it.
 */
@FunctionalInterface
public interface TargetDriftCheck {

    /**
     * The target as RDS reports it now and how its parameter group drifted; fails with the workflow's named errors
     * ({@link ThrottledException}, {@link InstanceBusyException}, ...) except for a target that no longer exists,
     * which is an {@link Inspection} whose target is null.
     */
    Inspection inspect(ProvisioningRequest request, String parameterGroupName);

    /**
     * @param target as DescribeTarget would describe it now; null when the instance or cluster no longer exists
     * @param drifts the RDS-side drifts; for a target that is gone the one {@link Drift#TARGET_GONE}
     * @param rebootNeeded whether the group in effect waits for a reboot
     */
    record Inspection(TargetDescription target, List<Drift> drifts, boolean rebootNeeded) {
        public Inspection {
            drifts = List.copyOf(drifts);
        }

        public static Inspection gone(String detail) {
            return new Inspection(null, List.of(new Drift(Drift.TARGET_GONE, detail)), false);
        }
    }
}
