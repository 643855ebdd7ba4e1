package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The results the later steps add to the execution's state, each under its own key. */
public final class StepOutcomes {
    private StepOutcomes() {
    }

    /**
     * EnsureParameterGroup: what was done to get rds.logical_replication=1 in effect or pending. {@code created},
     * {@code modified} and {@code attached} add up over the calls of one execution. With {@code waitForTarget} the
     * target was busy (backing-up, modifying, ...) and the group could not be attached yet: the state machine waits
     * waitSeconds and calls EnsureParameterGroup again; {@code waits} counts those calls toward the status checks.
     * {@code modified} counts only values set pending-reboot: a dynamic one set immediately (the WAL retention cap)
     * takes effect without a reboot and is no change to wait for.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ParameterGroupOutcome(String parameterGroupName, boolean created, boolean modified,
                                        boolean attached, boolean rebootRequired, List<String> sharedWith,
                                        boolean waitForTarget, int waits) {
        public ParameterGroupOutcome {
            sharedWith = sharedWith == null ? List.of() : List.copyOf(sharedWith);
        }

        /** Whether this execution changed the group or attached it, so an in-sync status may still be stale. */
        public boolean changedGroup() {
            return created || modified || attached;
        }
    }

    /**
     * Reboot: what happened. {@code rebooted} says this execution has rebooted the target (in this call or an earlier
     * one), so it never reboots twice. With NEXT_MAINTENANCE_WINDOW and {@code waitUntil} set, the state machine waits
     * until then and calls Reboot again; with NONE, {@code pending} ends the run as "reboot pending"; otherwise the
     * status loop follows. {@code changeSeen}: RDS has shown our parameter change taking hold (applying,
     * pending-reboot or rebooting), so a later in-sync is the applied state and not a stale one.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RebootOutcome(boolean rebooted, boolean pending, String waitUntil, String message,
                                boolean changeSeen) {
        public RebootOutcome(boolean rebooted, boolean pending, String waitUntil, String message) {
            this(rebooted, pending, waitUntil, message, rebooted);
        }
    }

    /**
     * CheckStatus: READY to go on, REBOOT when our parameters are pending-reboot and this execution has not rebooted
     * yet, or WAIT to check again. Terminal states are errors, not outcomes. {@code checks} counts the checks (and
     * EnsureParameterGroup's waits) of this run so far, so the next check can end the wait with a
     * WaitTimeoutException; {@code changeSeen} as in {@link RebootOutcome}.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StatusOutcome(String state, String status, String parameterApplyStatus, int checks,
                                boolean changeSeen, int inSyncUnseenChecks) {
        public static final String READY = "READY";
        public static final String WAIT = "WAIT";
        public static final String REBOOT = "REBOOT";
    }

    /** ReadCredentials: the admin secret by reference only (never its value). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CredentialsReference(String secretArn, String versionId, String username) {
    }

    /** Provision: the CDC credentials secret (by ARN) and what changed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ProvisionOutcome(String cdcSecretArn, int changed, List<String> changes) {
        public ProvisionOutcome {
            changes = changes == null ? List.of() : List.copyOf(changes);
        }
    }

    /** Verify: ready, and each check as "STATUS name: detail". */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VerifyOutcome(boolean ready, List<String> checks) {
        public VerifyOutcome {
            checks = checks == null ? List.of() : List.copyOf(checks);
        }
    }
}
