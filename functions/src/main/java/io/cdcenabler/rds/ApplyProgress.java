package io.cdcenabler.rds;

import io.cdcenabler.workflow.StepOutcomes.ParameterGroupOutcome;
import io.cdcenabler.workflow.WorkflowState;
import java.util.Set;

/**
 * Where the target stands on the way from "rds.logical_replication set" to "in effect", decided from the group this
 * execution attached and its apply status, not from one describe. RDS moves the apply status in-sync -> applying ->
 * pending-reboot asynchronously after ModifyDBParameterGroup, and a just-attached group can show up a little later:
 * a describe taken right after our change can still say in-sync for the old state. So in-sync counts as done only
 * when our group is the one in effect and, if this execution changed it, after RDS has shown the change taking hold
 * (applying, pending-reboot, rebooting) or we rebooted.
 */
public final class ApplyProgress {
    /** What the target's live state means for Reboot and CheckStatus. */
    public enum Phase {
        /** A transient status (backing-up, modifying, rebooting, ...): wait. */
        BUSY,
        /** Our group is not (yet) the one the target reports: wait. */
        GROUP_NOT_IN_EFFECT,
        /** Our change is still being applied, or the in-sync seen is from before it: wait. */
        APPLYING,
        /** Available, our group, pending-reboot, and this execution has not rebooted: reboot. */
        NEEDS_REBOOT,
        /** Pending-reboot again after our reboot (RDS has not caught up): wait, never reboot twice. */
        REBOOTED_NOT_APPLIED,
        /** Available, our group in-sync, our change (if any) applied. */
        READY
    }

    static final Set<String> CHANGE_VISIBLE = Set.of("applying", "pending-reboot");
    private static final String AVAILABLE = "available";

    private final Phase phase;
    private final boolean changeSeen;
    private final boolean rebooted;
    private final String detail;

    private ApplyProgress(Phase phase, boolean changeSeen, boolean rebooted, String detail) {
        this.phase = phase;
        this.changeSeen = changeSeen;
        this.rebooted = rebooted;
        this.detail = detail;
    }

    /** Classifies {@code live} against what the execution's earlier steps did ({@code state}). */
    public static ApplyProgress of(WorkflowState state, LiveTarget live) {
        ParameterGroupOutcome ensured = state.parameterGroup();
        String ours = ensured == null ? null : ensured.parameterGroupName();
        boolean changed = ensured != null && ensured.changedGroup();
        boolean rebooted = state.reboot() != null && state.reboot().rebooted();
        boolean ourGroup = ours == null || ours.equals(live.parameterGroupName());
        String apply = live.parameterApplyStatus();
        boolean changeSeen = rebooted || (state.reboot() != null && state.reboot().changeSeen())
                || (state.status() != null && state.status().changeSeen())
                || (ourGroup && CHANGE_VISIBLE.contains(apply)) || "rebooting".equals(live.status());
        String subject = (live.isCluster() ? "DB cluster " : "DB instance ") + live.identifier();
        if (!AVAILABLE.equals(live.status())) {
            return new ApplyProgress(Phase.BUSY, changeSeen, rebooted, subject + " is " + live.status());
        }
        if (!ourGroup) {
            return new ApplyProgress(Phase.GROUP_NOT_IN_EFFECT, changeSeen, rebooted, subject + " still reports "
                    + "parameter group " + live.parameterGroupName() + ", not " + ours);
        }
        if ("pending-reboot".equals(apply)) {
            return rebooted
                    ? new ApplyProgress(Phase.REBOOTED_NOT_APPLIED, changeSeen, true, subject + " was rebooted by "
                            + "this run and still reports pending-reboot; waiting for RDS to catch up")
                    : new ApplyProgress(Phase.NEEDS_REBOOT, changeSeen, false, "parameters of " + subject
                            + " (group " + live.parameterGroupName() + ") are pending-reboot");
        }
        if ("in-sync".equals(apply) && (!changed || changeSeen)) {
            return new ApplyProgress(Phase.READY, changeSeen, rebooted, "parameters of " + subject + " (group "
                    + live.parameterGroupName() + ") are in-sync");
        }
        return new ApplyProgress(Phase.APPLYING, changeSeen, rebooted, "parameters of " + subject + " (group "
                + live.parameterGroupName() + ") are " + apply + ("in-sync".equals(apply)
                ? ", but RDS has not shown this run's change yet (it applies asynchronously)" : ""));
    }

    public Phase phase() {
        return phase;
    }

    /** Whether RDS has shown this execution's change taking hold, now or in an earlier step. */
    public boolean changeSeen() {
        return changeSeen;
    }

    /** Whether this execution has already rebooted the target. */
    public boolean rebooted() {
        return rebooted;
    }

    /** A sentence for the log and the step's message. */
    public String detail() {
        return detail;
    }
}
