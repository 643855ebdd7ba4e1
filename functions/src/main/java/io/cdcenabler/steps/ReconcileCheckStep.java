package io.cdcenabler.steps;

import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.workflow.DriftReport;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ReconcileItem;
import io.cdcenabler.workflow.ReconcileItem.DriftCheck;
import io.cdcenabler.workflow.RepairInputs;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * CheckDrift (reconcile): reads the target's enrolment from the registry, runs the read-only {@link CheckDriftStep}
 * with the request and parameter group recorded there, and, when anything drifted, builds the enrolment workflow
 * inputs that repair it ({@link RepairInputs}: never a reboot at once unless the enrolled policy is IMMEDIATE). A
 * Blue/Green switchover (RDS-EVENT-0248) re-enrols the target under its name whatever the check finds: the new
 * production database's replication state did not carry over.
 */
public final class ReconcileCheckStep {
    /** The kind ResolveTargets gives a target selected by a Blue/Green switchover. */
    public static final String BLUE_GREEN = "BLUE_GREEN";

    private final EnrolmentRegistry registry;
    private final CheckDriftStep drift;
    private final Clock clock;

    public ReconcileCheckStep(EnrolmentRegistry registry, CheckDriftStep drift, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.drift = Objects.requireNonNull(drift, "drift");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public DriftCheck check(ReconcileItem item) {
        if (item == null || item.target() == null || item.target().identifier() == null
                || item.target().database() == null) {
            throw new InvalidInputException("CheckDrift needs $.target with identifier and database; nothing was "
                    + "checked");
        }
        Optional<Enrolment> enrolment = registry.find(new Enrolment.Key(item.target().identifier(),
                item.target().database()));
        if (enrolment.isEmpty()) {
            // Removed since ResolveTargets read the registry: nothing to check; RecordResult reports it.
            return new DriftCheck(false, false, List.of(), null, null, null);
        }
        Enrolment enrolled = enrolment.get();
        DriftReport report = drift.check(enrolled.request(), enrolled.parameterGroupName());
        List<String> drifts = new ArrayList<>();
        report.drifts().forEach(d -> drifts.add(d.kind() + ": " + d.detail()));
        if (report.rebootNeeded() && !report.targetGone()) {
            // Our group's static parameters wait for a reboot: until then wal_level is not what the group says.
            drifts.add("REBOOT_PENDING: " + enrolled.parameterGroupName() + " is pending-reboot: "
                    + "rds.logical_replication takes effect after the writer's reboot");
        }
        boolean switchedOver = BLUE_GREEN.equals(item.target().kind()) && !report.targetGone();
        if (switchedOver) {
            drifts.add(BLUE_GREEN + ": " + item.target().reason() + "; re-enrolled under its name");
        }
        boolean drifted = report.drifted() || switchedOver || report.rebootNeeded() && !report.targetGone();
        if (!drifted) {
            return new DriftCheck(false, report.targetGone(), drifts, null, null, null);
        }
        RepairInputs inputs = RepairInputs.of(enrolled.request(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        return new DriftCheck(true, false, drifts, inputs.repairInput(), inputs.rebootLaterInput(),
                inputs.rebootLaterName());
    }
}
