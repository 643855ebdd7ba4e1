package io.cdcenabler.rds;

import io.cdcenabler.workflow.InstanceBusyException;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.RebootPolicy;
import io.cdcenabler.workflow.StepOutcomes.RebootOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.Topology;
import io.cdcenabler.workflow.WorkflowState;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * Reboot: reboots the writer once, and only while the group this execution attached is in effect and
 * pending-reboot ({@link ApplyProgress}), so the static rds.logical_replication takes effect. RebootDBInstance without
 * failover (the pending values apply); RebootDBCluster for a Multi-AZ DB cluster. The policy may defer the reboot to
 * the next maintenance window or leave it to an operator. While the target is busy or the change is still applying
 * (RDS applies it asynchronously), it does not reboot and the status loop follows; CheckStatus sends the execution
 * back here once RDS shows pending-reboot. An execution never reboots twice.
 */
public final class Rebooter {
    private static final Logger LOG = LoggerFactory.getLogger(Rebooter.class);
    private final RdsClient rds;
    private final Clock clock;

    public Rebooter(RdsClient rds, Clock clock) {
        this.rds = Objects.requireNonNull(rds, "rds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public RebootOutcome reboot(WorkflowState state) {
        TargetDescription target = LiveTarget.targetOf(state);
        LiveTarget live = LiveTarget.read(rds, target);
        RebootOutcome outcome = decide(state, target, live);
        DecisionLog.decision(LOG, "Reboot", live.identifier(), "writer", live.writerInstanceIdentifier(),
                "status", live.status(), "parameterGroup", live.parameterGroupName(), "parameterApplyStatus",
                live.parameterApplyStatus(),
                "policy", target.request().rebootPolicy(), "rebooted", outcome.rebooted(), "pending",
                outcome.pending(), "waitUntil", outcome.waitUntil());
        return outcome;
    }

    private RebootOutcome decide(WorkflowState state, TargetDescription target, LiveTarget live) {
        TerminalStatuses.requireRecoverable(live);
        ApplyProgress progress = ApplyProgress.of(state, live);
        boolean seen = progress.changeSeen();
        switch (progress.phase()) {
            case READY -> {
                return new RebootOutcome(progress.rebooted(), false, null, "no reboot needed: "
                        + progress.detail(), seen);
            }
            case NEEDS_REBOOT -> {
                return rebootAsPolicyAllows(state, target, live, seen);
            }
            default -> {
                // Not yet decidable (busy, our group not yet shown, the change still applying, or a reboot of ours
                // in progress): the status loop waits it out and comes back here when RDS shows pending-reboot.
                return new RebootOutcome(progress.rebooted(), false, null, "not rebooting now: "
                        + progress.detail() + "; the status checks go on", seen);
            }
        }
    }

    private RebootOutcome rebootAsPolicyAllows(WorkflowState state, TargetDescription target, LiveTarget live,
                                               boolean seen) {
        RebootPolicy policy = target.request().rebootPolicy();
        if (policy == RebootPolicy.NONE) {
            return new RebootOutcome(false, true, null, "reboot pending: reboot " + rebootSubject(live)
                    + " without failover (" + rebootCommand(live) + ") to turn on logical replication, then run "
                    + "the workflow again", seen);
        }
        if (policy == RebootPolicy.NEXT_MAINTENANCE_WINDOW) {
            Instant now = clock.instant();
            Instant waited = previousWaitUntil(state);
            MaintenanceWindow window = MaintenanceWindow.parse(live.preferredMaintenanceWindow());
            if ((waited == null || now.isBefore(waited)) && !window.contains(now)) {
                Instant next = window.nextStart(now);
                return new RebootOutcome(false, false, next.toString(), "reboot of " + rebootSubject(live)
                        + " waits for the maintenance window " + live.preferredMaintenanceWindow() + " starting "
                        + next, seen);
            }
        }
        if (live.topology() == Topology.MULTI_AZ_CLUSTER) {
            RdsErrors.call("RebootDBCluster " + live.clusterIdentifier(),
                    () -> rds.rebootDBCluster(r -> r.dbClusterIdentifier(live.clusterIdentifier())));
        } else {
            String writer = live.writerInstanceIdentifier();
            if (writer == null) {
                throw new InstanceBusyException(live.identifier() + " has no writer instance to reboot now");
            }
            RdsErrors.call("RebootDBInstance " + writer,
                    () -> rds.rebootDBInstance(r -> r.dbInstanceIdentifier(writer).forceFailover(false)));
        }
        return new RebootOutcome(true, false, null, "rebooted " + rebootSubject(live)
                + " without failover to apply rds.logical_replication", true);
    }

    private static Instant previousWaitUntil(WorkflowState state) {
        if (state.reboot() == null || state.reboot().waitUntil() == null) {
            return null;
        }
        try {
            return Instant.parse(state.reboot().waitUntil());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("state.reboot.waitUntil must be an ISO-8601 "
                    + "instant, was " + state.reboot().waitUntil());
        }
    }

    private static String rebootSubject(LiveTarget live) {
        return live.topology() == Topology.MULTI_AZ_CLUSTER ? "DB cluster " + live.clusterIdentifier()
                : "writer instance " + live.writerInstanceIdentifier();
    }

    private static String rebootCommand(LiveTarget live) {
        return live.topology() == Topology.MULTI_AZ_CLUSTER
                ? "aws rds reboot-db-cluster --db-cluster-identifier " + live.clusterIdentifier()
                : "aws rds reboot-db-instance --db-instance-identifier " + live.writerInstanceIdentifier()
                        + " --no-force-failover";
    }
}
