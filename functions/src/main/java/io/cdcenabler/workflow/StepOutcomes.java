package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** The results the later steps add to the execution's state, each under its own key. */
public final class StepOutcomes {
    private StepOutcomes() {
    }

    /** EnsureParameterGroup: what was done to get rds.logical_replication=1 in effect or pending. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ParameterGroupOutcome(String parameterGroupName, boolean created, boolean modified,
                                        boolean attached, boolean rebootRequired, List<String> sharedWith) {
        public ParameterGroupOutcome {
            sharedWith = sharedWith == null ? List.of() : List.copyOf(sharedWith);
        }
    }

    /**
     * Reboot: what happened. With NEXT_MAINTENANCE_WINDOW and {@code waitUntil} set, the state machine waits until
     * then and calls Reboot again; with NONE, {@code pending} ends the run as "reboot pending".
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RebootOutcome(boolean rebooted, boolean pending, String waitUntil, String message) {
    }

    /**
     * CheckStatus: READY to go on, or WAIT to check again. Terminal states are errors, not outcomes. {@code checks}
     * counts the checks of this run so far, so the next check can end the wait with a WaitTimeoutException.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StatusOutcome(String state, String status, String parameterApplyStatus, int checks) {
        public static final String READY = "READY";
        public static final String WAIT = "WAIT";
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
