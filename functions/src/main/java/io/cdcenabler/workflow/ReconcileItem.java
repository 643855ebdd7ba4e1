package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One target of a reconciliation as the reconcile state machine's item processor hands it on: the target ResolveTargets
 * chose, what CheckDrift found, what the repair (a run of the enrolment workflow) ended with, and the error that
 * stopped it, each under the key its state's ResultPath gives it.
 *
 * @param target  {@code $.target}: the enrolment to check and why
 * @param check   {@code $.check}: CheckDrift's finding (null when CheckDrift failed)
 * @param repair  {@code $.repair}: the enrolment run's output (null when nothing was repaired)
 * @param later   {@code $.later}: the run started to reboot in the maintenance window (null when none)
 * @param error   {@code $.error}: the Catch's error and cause (null when nothing failed)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReconcileItem(Target target, DriftCheck check, Repair repair, JsonNode later, Failure error) {

    /** An enrolment to verify: its key, kind, and the reason (the event, or the schedule). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Target(String identifier, String database, String kind, String reason) {
    }

    /** The output of the enrolment run that repaired the target (sync:2 gives it parsed, under Output). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Repair(JsonNode output) {
        /** The run's result: READY, REBOOT_PENDING, SKIPPED; null when the output lacks one. */
        public String result() {
            return output == null ? null : output.path("result").asText(null);
        }
    }

    /** A Catch's {@code {Error, Cause}}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Failure(@com.fasterxml.jackson.annotation.JsonProperty("Error") String error,
                          @com.fasterxml.jackson.annotation.JsonProperty("Cause") String cause) {
    }

    /**
     * What CheckDrift found, read-only.
     *
     * @param drifted whether anything differs from what the enrolment made
     * @param targetGone the instance or cluster no longer exists (nothing to repair)
     * @param drifts what differs, one line each ("KIND: detail")
     * @param repairInput the enrolment workflow's input that repairs it now without rebooting unless the enrolled
     *     policy is IMMEDIATE (null when nothing drifted)
     * @param rebootLaterInput the input that repairs it with the enrolled NEXT_MAINTENANCE_WINDOW policy (else null)
     * @param rebootLaterName the execution name of that run, one per target and day (else null)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DriftCheck(boolean drifted, boolean targetGone, List<String> drifts, JsonNode repairInput,
                             JsonNode rebootLaterInput, String rebootLaterName) {
        public DriftCheck {
            drifts = drifts == null ? List.of() : List.copyOf(drifts);
        }
    }
}
