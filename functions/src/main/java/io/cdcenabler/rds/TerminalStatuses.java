package io.cdcenabler.rds;

import io.cdcenabler.workflow.TerminalStatusException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The DB instance and DB cluster statuses that waiting does not cure (the RDS User Guide's "DB instance status"
 * table), each with what to do about it, and the transient ones a run waits out. Reboot, EnsureParameterGroup and
 * CheckStatus fail at once with a {@link TerminalStatusException} on the first kind instead of waiting for hours.
 */
public final class TerminalStatuses {
    /** Statuses that end by themselves (waited out by the status loop). */
    static final Set<String> TRANSIENT = Set.of("creating", "modifying", "rebooting", "backing-up",
            "configuring-enhanced-monitoring", "configuring-iam-database-auth", "configuring-log-exports",
            "converting-to-vpc", "moving-to-vpc", "storage-optimization", "storage-initialization",
            "storage-config-upgrade", "upgrading", "maintenance", "starting", "renaming",
            "resetting-master-credentials", "failing-over", "backtracking", "promoting", "available");
    static final Map<String, String> TERMINAL = terminal();

    private TerminalStatuses() {
    }

    private static Map<String, String> terminal() {
        Map<String, String> m = new TreeMap<>();
        m.put("stopped", "start it (aws rds start-db-instance / start-db-cluster) and run the workflow again");
        m.put("stopping", "wait until it is stopped, start it, and run the workflow again");
        m.put("storage-full", "increase its allocated storage and run the workflow again");
        m.put("failed", "RDS could not recover it; restore it from a snapshot or contact AWS Support");
        m.put("incompatible-parameters", "a value in its parameter group does not fit the instance class or engine; "
                + "fix the group and reboot");
        m.put("incompatible-network", "its subnet group has no free IP addresses or a subnet is gone; fix the DB "
                + "subnet group");
        m.put("incompatible-option-group", "an option group change failed and RDS could not roll it back; fix the "
                + "option group");
        m.put("incompatible-restore", "RDS could not do the point-in-time restore; restore again to another time or "
                + "from a snapshot");
        m.put("restore-error", "the restore from a snapshot or point in time failed; delete it and restore again");
        m.put("insufficient-capacity", "RDS has no capacity for its instance class in its Availability Zone; "
                + "recreate it with another instance class or Availability Zone");
        m.put("incompatible-credentials", "the credentials it was given (e.g. for its directory or CloudHSM) are "
                + "wrong; fix them");
        m.put("inaccessible-encryption-credentials", "its KMS key is disabled or RDS lost access to it; restore "
                + "access to the key");
        m.put("inaccessible-encryption-credentials-recoverable", "its KMS key is disabled or RDS lost access to it; "
                + "re-enable the key (within 7 days) and start the instance");
        m.put("migration-failed", "the migration into this cluster failed; recreate it");
        m.put("delete-precheck", "it is about to be deleted; there is nothing to provision");
        m.put("deleting", "it is being deleted; there is nothing to provision");
        return Map.copyOf(m);
    }

    /** Throws a {@link TerminalStatusException} naming what to do when {@code live}'s status cannot be waited out. */
    public static void requireRecoverable(LiveTarget live) {
        String status = live.status();
        if (status != null && TERMINAL.containsKey(status)) {
            throw new TerminalStatusException((live.isCluster() ? "DB cluster " : "DB instance ") + live.identifier()
                    + " is " + status + ": " + TERMINAL.get(status));
        }
        if ("failed-to-apply".equals(live.parameterApplyStatus())) {
            throw new TerminalStatusException("parameter group " + live.parameterGroupName() + " of "
                    + (live.isCluster() ? "DB cluster " : "DB instance ") + live.identifier()
                    + " is failed-to-apply: check its values (aws rds describe-events) and fix the group");
        }
    }

    /** Whether {@code status} is one RDS documents as ending by itself. */
    static boolean isKnownTransient(String status) {
        return TRANSIENT.contains(status);
    }
}
