package io.cdcenabler.rds;

import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.StepOutcomes.StatusOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.TerminalStatusException;
import io.cdcenabler.workflow.WaitTimeoutException;
import io.cdcenabler.workflow.WorkflowState;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * CheckStatus: reads the target once (for an Aurora cluster: the cluster and its writer) and classifies it: READY
 * when available with parameters in-sync, WAIT while a transient status or a pending parameter change lasts, and a
 * {@link TerminalStatusException} for statuses waiting does not cure.
 */
public final class StatusChecker {
    static final Set<String> TRANSIENT = Set.of("creating", "modifying", "rebooting", "backing-up",
            "configuring-enhanced-monitoring", "storage-optimization", "upgrading", "maintenance", "starting",
            "renaming", "available");
    static final Map<String, String> TERMINAL = Map.of(
            "stopped", "start it (aws rds start-db-instance / start-db-cluster) and run the workflow again",
            "stopping", "wait until it is stopped, start it, and run the workflow again",
            "storage-full", "increase its allocated storage and run the workflow again",
            "failed", "RDS could not recover it; restore it from a snapshot or contact AWS Support",
            "incompatible-parameters", "a value in its parameter group does not fit the instance class or engine; "
                    + "fix the group and reboot",
            "incompatible-network", "its subnet group has no free IP addresses or a subnet is gone; fix the DB "
                    + "subnet group",
            "inaccessible-encryption-credentials", "its KMS key is disabled or RDS lost access to it; restore "
                    + "access to the key",
            "deleting", "it is being deleted; there is nothing to provision");
    private static final Logger LOG = LoggerFactory.getLogger(StatusChecker.class);
    private final RdsClient rds;

    public StatusChecker(RdsClient rds) {
        this.rds = Objects.requireNonNull(rds, "rds");
    }

    public StatusOutcome check(WorkflowState state) {
        TargetDescription target = LiveTarget.targetOf(state);
        LiveTarget live = LiveTarget.read(rds, target);
        int checks = (state.status() == null ? 0 : state.status().checks()) + 1;
        StatusOutcome outcome = classify(live, checks);
        DecisionLog.decision(LOG, "CheckStatus", live.identifier(), "writer", live.writerInstanceIdentifier(),
                "status", live.status(), "parameterApplyStatus", live.parameterApplyStatus(), "state",
                outcome.state(), "checks", checks);
        ProvisioningRequest request = target.request();
        if (outcome.state().equals(StatusOutcome.WAIT) && checks >= request.maxStatusChecks()) {
            throw new WaitTimeoutException((live.isCluster() ? "DB cluster " : "DB instance ") + live.identifier()
                    + " is still " + live.status() + " with parameters " + live.parameterApplyStatus() + " after "
                    + checks + " status checks " + request.waitSeconds() + " s apart (waitTimeoutMinutes="
                    + request.waitTimeoutMinutes() + "); check it in the RDS console, then run the workflow again "
                    + "(it resumes where it stopped)");
        }
        return outcome;
    }

    private static StatusOutcome classify(LiveTarget live, int checks) {
        String status = live.status();
        String subject = (live.isCluster() ? "DB cluster " : "DB instance ") + live.identifier();
        if (TERMINAL.containsKey(status)) {
            throw new TerminalStatusException(subject + " is " + status + ": " + TERMINAL.get(status));
        }
        if ("failed-to-apply".equals(live.parameterApplyStatus())) {
            throw new TerminalStatusException("parameter group " + live.parameterGroupName() + " of " + subject
                    + " is failed-to-apply: check its values (aws rds describe-events) and fix the group");
        }
        if ("available".equals(status) && "in-sync".equals(live.parameterApplyStatus())) {
            return new StatusOutcome(StatusOutcome.READY, status, live.parameterApplyStatus(), checks);
        }
        if (!TRANSIENT.contains(status)) {
            LOG.warn("{\"step\":\"CheckStatus\",\"unclassifiedStatus\":\"{}\"}", status);
        }
        return new StatusOutcome(StatusOutcome.WAIT, status, live.parameterApplyStatus(), checks);
    }
}
