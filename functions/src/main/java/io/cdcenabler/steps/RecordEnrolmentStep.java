package io.cdcenabler.steps;

import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.registry.EnrolmentResult;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.WorkflowState;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RecordEnrolment: the last Task state of a run that succeeded, on both of its successful ends. After Verify proved
 * the database ready (and EnsureAlarms ran) it records the enrolment as READY with {@code lastVerified} now; on the
 * reboot-pending end (reboot policy NONE) it records DRIFT_PENDING_REBOOT, so reconciliation finishes the enrolment
 * once someone rebooted. A re-run rewrites the same record: only {@code lastVerified} and the version move.
 *
 * <p>A repair that reconciliation started ({@code source} = {@value #RECONCILE_SOURCE}) runs with a changed request
 * (its reboot policy may be NONE where the user asked for NEXT_MAINTENANCE_WINDOW): it records the request as the
 * user enrolled it, never the repair's, and it does not re-create an enrolment that was removed meanwhile.
 */
public final class RecordEnrolmentStep {
    /** The request {@code source} of the enrolment runs reconciliation starts to repair a target. */
    public static final String RECONCILE_SOURCE = io.cdcenabler.workflow.RepairInputs.SOURCE;
    private static final Logger LOG = LoggerFactory.getLogger(RecordEnrolmentStep.class);

    private final EnrolmentRegistry registry;
    private final Clock clock;

    /**
     * @param registry the enrolment registry ({@code UnconfiguredRegistry} when the function's environment does not
     *                 name its table: its first call fails naming the variable)
     */
    public RecordEnrolmentStep(EnrolmentRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What was recorded: the key, the result, and the stored record's version and times. */
    public record RecordOutcome(boolean recorded, String key, EnrolmentResult result, long version,
                                String enrolledAt, String lastVerified, String reason) {
    }

    public RecordOutcome record(WorkflowState state) {
        TargetDescription target = state.requireTarget();
        boolean pending = state.reboot() != null && state.reboot().pending();
        if (!pending && (state.verify() == null || !state.verify().ready())) {
            throw new InvalidInputException("RecordEnrolment records a database Verify proved ready ($.verify.ready) "
                    + "or one waiting for its reboot ($.reboot.pending); the state has neither, nothing was recorded");
        }
        ProvisioningRequest request = target.request();
        Enrolment.Key key = new Enrolment.Key(request.identifier(), target.database());
        Optional<Enrolment> stored = registry.find(key);
        boolean repair = RECONCILE_SOURCE.equals(request.source());
        if (repair && stored.isEmpty()) {
            String reason = key + " is no longer enrolled (removed while reconciliation repaired it): not re-created";
            LOG.info(LogLines.json("step", "record-enrolment", "skipped", reason));
            return new RecordOutcome(false, key.toString(), null, 0, null, null, reason);
        }
        Enrolment recorded = registry.recordEnrolment(enrolment(state, repair ? stored.get().request() : request,
                stored, pending));
        LOG.info(LogLines.json("step", "record-enrolment", "target", key.toString(), "result",
                recorded.lastResult().name(), "version", String.valueOf(recorded.version())));
        return new RecordOutcome(true, key.toString(), recorded.lastResult(), recorded.version(),
                recorded.enrolledAt().toString(), recorded.lastVerified() == null ? null
                : recorded.lastVerified().toString(), null);
    }

    private Enrolment enrolment(WorkflowState state, ProvisioningRequest request, Optional<Enrolment> stored,
                                boolean pending) {
        TargetDescription target = state.requireTarget();
        Instant now = clock.instant();
        String group = state.parameterGroup() != null && state.parameterGroup().parameterGroupName() != null
                ? state.parameterGroup().parameterGroupName() : target.parameterGroupName();
        String cdcSecretArn = state.provision() != null ? state.provision().cdcSecretArn()
                : stored.map(Enrolment::cdcSecretArn).orElse(null);
        Instant lastVerified = pending ? stored.map(Enrolment::lastVerified).orElse(null) : now;
        List<String> drift = pending ? List.of("wal_level: the reboot that applies rds.logical_replication=1 of "
                + group + " is pending (reboot policy " + request.rebootPolicy() + ")") : List.of();
        // a release of an upgrade hold is for this run only: a repair from the record must honour the next hold
        ProvisioningRequest recorded = request.releaseUpgradeHold()
                ? request.toBuilder().releaseUpgradeHold(false).build() : request;
        return new Enrolment(recorded, request.isCluster() ? Enrolment.TargetKind.CLUSTER
                : Enrolment.TargetKind.INSTANCE, request.identifier(), target.database(), cdcSecretArn, group,
                target.engineVersion(), now, lastVerified,
                pending ? EnrolmentResult.DRIFT_PENDING_REBOOT : EnrolmentResult.READY, null, drift, 0);
    }
}
