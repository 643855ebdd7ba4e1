package io.cdcenabler.rds;

import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.StepOutcomes.StatusOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.TerminalStatusException;
import io.cdcenabler.workflow.WaitTimeoutException;
import io.cdcenabler.workflow.WorkflowState;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * CheckStatus: reads the target once (for an Aurora cluster: the cluster and its writer) and classifies it with
 * {@link ApplyProgress}: READY when available with our group in effect and in-sync, REBOOT when our parameters are
 * pending-reboot and this execution has not rebooted yet (the state machine goes back to Reboot), WAIT while a
 * transient status or an asynchronous parameter change lasts, and a {@link TerminalStatusException} for statuses
 * waiting does not cure.
 */
public final class StatusChecker {
    private static final Logger LOG = LoggerFactory.getLogger(StatusChecker.class);
    private final RdsClient rds;

    public StatusChecker(RdsClient rds) {
        this.rds = Objects.requireNonNull(rds, "rds");
    }

    public StatusOutcome check(WorkflowState state) {
        TargetDescription target = LiveTarget.targetOf(state);
        LiveTarget live = LiveTarget.read(rds, target);
        int checks = previousChecks(state) + 1;
        TerminalStatuses.requireRecoverable(live);
        ApplyProgress progress = ApplyProgress.of(state, live);
        String outcomeState = switch (progress.phase()) {
            case READY -> StatusOutcome.READY;
            case NEEDS_REBOOT -> StatusOutcome.REBOOT;
            default -> StatusOutcome.WAIT;
        };
        // Our group in effect and in-sync, but this run never saw its change take hold: RDS's describe may lag the
        // change for a few seconds, or a concurrent run's reboot applied it between two of our checks. After a
        // minute of in-sync (at least three checks) the lag is over and the change is in effect; if it was not,
        // Provision's SHOW wal_level still stops the run with LogicalReplicationOffException.
        boolean inSyncUnseen = progress.phase() == ApplyProgress.Phase.APPLYING
                && "in-sync".equals(live.parameterApplyStatus());
        int inSyncUnseenChecks = inSyncUnseen ? previousInSyncUnseen(state) + 1 : 0;
        boolean settled = inSyncUnseen && inSyncUnseenChecks >= inSyncChecksToTrust(target.request());
        if (settled) {
            outcomeState = StatusOutcome.READY;
        }
        if (!TerminalStatuses.isKnownTransient(live.status())) {
            LOG.warn("{\"step\":\"CheckStatus\",\"unclassifiedStatus\":\"{}\"}", live.status());
        }
        StatusOutcome outcome = new StatusOutcome(outcomeState, live.status(), live.parameterApplyStatus(), checks,
                progress.changeSeen() || settled, inSyncUnseenChecks);
        DecisionLog.decision(LOG, "CheckStatus", live.identifier(), "writer", live.writerInstanceIdentifier(),
                "status", live.status(), "parameterGroup", live.parameterGroupName(), "parameterApplyStatus",
                live.parameterApplyStatus(), "phase", progress.phase(), "state", outcome.state(), "checks", checks,
                "detail", progress.detail());
        ProvisioningRequest request = target.request();
        if (outcome.state().equals(StatusOutcome.WAIT) && checks >= request.maxStatusChecks()) {
            throw new WaitTimeoutException((live.isCluster() ? "DB cluster " : "DB instance ") + live.identifier()
                    + " is still " + live.status() + " with parameters " + live.parameterApplyStatus() + " after "
                    + checks + " status checks " + request.waitSeconds() + " s apart (waitTimeoutMinutes="
                    + request.waitTimeoutMinutes() + "; " + progress.detail() + "); check it in the RDS console, "
                    + "then run the workflow again (it resumes where it stopped)");
        }
        return outcome;
    }

    /** In-sync checks in a row that were needed before trusting an in-sync this run never saw change. */
    static int inSyncChecksToTrust(ProvisioningRequest request) {
        return Math.max(3, (60 + request.waitSeconds() - 1) / request.waitSeconds());
    }

    private static int previousInSyncUnseen(WorkflowState state) {
        return state.status() == null ? 0 : state.status().inSyncUnseenChecks();
    }

    /** The checks so far, counting EnsureParameterGroup's waits for a busy target before the first check. */
    private static int previousChecks(WorkflowState state) {
        if (state.status() != null) {
            return state.status().checks();
        }
        return state.parameterGroup() == null ? 0 : state.parameterGroup().waits();
    }
}
