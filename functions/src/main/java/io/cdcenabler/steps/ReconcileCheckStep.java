package io.cdcenabler.steps;

import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.workflow.DriftReport;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningRequest;
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
    /** The kinds ResolveTargets gives a tagged target that is not enrolled yet (see ResolveTargets.ENROL_*). */
    public static final String ENROL_INSTANCE = "ENROL_INSTANCE";
    public static final String ENROL_CLUSTER = "ENROL_CLUSTER";
    /** The event of a major version upgrade RDS rolled back: the target stays on the major it had. */
    static final String UPGRADE_ROLLED_BACK = "RDS-EVENT-0270";
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final EnrolmentRegistry registry;
    private final CheckDriftStep drift;
    private final Clock clock;

    public ReconcileCheckStep(EnrolmentRegistry registry, CheckDriftStep drift, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.drift = Objects.requireNonNull(drift, "drift");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The input that enrols a tagged target: the RDS event its creation would have sent, so the enrolment workflow
     * applies the stack's defaults and checks the opt-in tag exactly as for a new database.
     */
    static com.fasterxml.jackson.databind.node.ObjectNode creationEvent(ReconcileItem.Target target) {
        boolean cluster = ENROL_CLUSTER.equals(target.kind());
        com.fasterxml.jackson.databind.node.ObjectNode event = MAPPER.createObjectNode();
        event.put("version", "0").put("source", "aws.rds")
                .put("detail-type", cluster ? "RDS DB Cluster Event" : "RDS DB Instance Event");
        event.putObject("detail").put("EventID", cluster ? "RDS-EVENT-0170" : "RDS-EVENT-0005")
                .put("SourceType", cluster ? "CLUSTER" : "DB_INSTANCE")
                .put("SourceIdentifier", target.identifier())
                .put("Message", "cdc-enabler fleet enrolment: " + target.reason());
        return event;
    }

    public DriftCheck check(ReconcileItem item) {
        if (item == null || item.target() == null || item.target().identifier() == null
                || item.target().database() == null) {
            throw new InvalidInputException("CheckDrift needs $.target with identifier and database; nothing was "
                    + "checked");
        }
        if (ENROL_INSTANCE.equals(item.target().kind()) || ENROL_CLUSTER.equals(item.target().kind())) {
            return new DriftCheck(true, false, List.of("NOT_ENROLLED: " + item.target().reason()),
                    creationEvent(item.target()), null, null);
        }
        Optional<Enrolment> enrolment = registry.find(new Enrolment.Key(item.target().identifier(),
                item.target().database()));
        if (enrolment.isEmpty()) {
            // Removed since ResolveTargets read the registry: nothing to check; RecordResult reports it.
            return new DriftCheck(false, false, List.of(), null, null, null);
        }
        Enrolment enrolled = enrolment.get();
        // After a rollback the server stays on the old major: the trigger prepare-upgrade holds comes back now.
        ProvisioningRequest request = item.target().reason() != null
                && item.target().reason().contains("(" + UPGRADE_ROLLED_BACK + ")")
                ? enrolled.request().toBuilder().releaseUpgradeHold(true).build() : enrolled.request();
        DriftReport report = drift.check(request, enrolled.parameterGroupName());
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
        RepairInputs inputs = RepairInputs.of(request, LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        return new DriftCheck(true, false, drifts, inputs.repairInput(), inputs.rebootLaterInput(),
                inputs.rebootLaterName());
    }
}
