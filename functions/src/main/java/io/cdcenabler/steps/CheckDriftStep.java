package io.cdcenabler.steps;

import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.postgres.ConnectionSource;
import io.cdcenabler.postgres.Plan;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.UpgradeHold;
import io.cdcenabler.secrets.AdminCredentials;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.workflow.Drift;
import io.cdcenabler.workflow.DriftReport;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.TargetDriftCheck;
import io.cdcenabler.workflow.TargetDriftCheck.Inspection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CheckDrift: a read-only check of one enrolled database, for the reconcile workflow to decide whether to enrol it
 * again. RDS is described again ({@link TargetDriftCheck}: the parameter group in effect and its values against the
 * group recorded at enrolment and the planned values), then the database is planned with the engine's
 * {@link Provisioner#plan} on the admin login, and every change the plan holds is a drift (see {@link PlanDrifts}),
 * as is a wal_level other than logical.
 *
 * <p>Nothing changes anywhere: only RDS Describe calls, GetSecretValue of the admin secret, and catalog queries on
 * sessions whose lock_timeout and statement_timeout are bounded (the engine's plan rehearses nothing and creates no
 * slot). Errors are the workflow's named ones: a throttled RDS stays a ThrottledException, a database that refuses
 * connections a DatabaseUnavailableException; a target that no longer exists is not an error but a report with the
 * one drift TARGET_GONE and {@code drifted} false, since enrolling again cannot repair it.
 */
public final class CheckDriftStep {
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOGICAL = "logical";
    private static final Logger LOG = LoggerFactory.getLogger(CheckDriftStep.class);

    private final TargetDriftCheck rds;
    private final AdminSecrets adminSecrets;
    private final TargetConnections connections;

    public CheckDriftStep(TargetDriftCheck rds, AdminSecrets adminSecrets, TargetConnections connections) {
        this.rds = Objects.requireNonNull(rds, "rds");
        this.adminSecrets = Objects.requireNonNull(adminSecrets, "adminSecrets");
        this.connections = Objects.requireNonNull(connections, "connections");
    }

    /**
     * @param request the request stored at enrolment
     * @param parameterGroupName the (cluster) parameter group recorded at enrolment
     */
    public DriftReport check(ProvisioningRequest request, String parameterGroupName) {
        Objects.requireNonNull(request, "request");
        Inspection inspection = rds.inspect(request, parameterGroupName);
        if (inspection.target() == null) {
            DriftReport gone = new DriftReport(false, inspection.drifts(), false, null, parameterGroupName);
            log(request, gone);
            return gone;
        }
        TargetDescription target = inspection.target();
        List<Drift> drifts = new ArrayList<>(inspection.drifts());
        drifts.addAll(databaseDrifts(target, inspection.rebootNeeded()));
        boolean drifted = drifts.stream().anyMatch(drift -> !Drift.UPGRADE_HOLD.equals(drift.kind()));
        DriftReport report = new DriftReport(drifted, drifts, inspection.rebootNeeded(),
                target.engineVersion(), parameterGroupName);
        log(request, report);
        return report;
    }

    /** wal_level, then every change the engine's plan holds, read on the admin login. */
    private List<Drift> databaseDrifts(TargetDescription target, boolean rebootNeeded) {
        String database = TargetDatabase.databaseOf(target);
        TargetDatabase.requireEndpoint(target);
        ProvisioningSpec spec = ProvisioningSpecs.of(target.request());
        AdminCredentials admin = adminSecrets.readCurrent(target);
        ConnectionSource sessions = new BoundedSessions(connections.open(target, admin.username(), admin.password()),
                spec.lockPolicy().lockTimeout(), STATEMENT_TIMEOUT);
        Provisioner provisioner = new Provisioner(sessions);
        List<Drift> drifts = new ArrayList<>();
        try {
            String walLevel = provisioner.walLevel();
            if (!LOGICAL.equals(walLevel)) {
                drifts.add(new Drift(Drift.WAL_LEVEL, "database " + database + " of " + target.request().identifier()
                        + " has wal_level " + walLevel + ", want " + LOGICAL + (rebootNeeded
                        ? " (its parameter group waits for a reboot of the writer)" : "")));
            }
            Plan plan = provisioner.plan(spec);
            drifts.addAll(PlanDrifts.of(plan, plan.replicaIdentityTables().isEmpty() ? java.util.Map.of()
                    : provisioner.replicaIdentities(plan.replicaIdentityTables())));
            plan.notes().stream().filter(UpgradeHold::isNote).forEach(note -> drifts.add(new Drift(
                    Drift.UPGRADE_HOLD, note)));
        } catch (CdcEnablerException e) {
            throw ErrorTranslation.translate(e, "checking database " + database + " of "
                    + target.request().identifier() + " for drift");
        }
        return drifts;
    }

    private static void log(ProvisioningRequest request, DriftReport report) {
        LOG.info(LogLines.json("event", "driftChecked", "identifier", request.identifier(), "drifted",
                report.drifted(), "kinds", report.drifts().stream().map(Drift::kind).toList(), "rebootNeeded",
                report.rebootNeeded(), "engineVersion", report.engineVersion(), "parameterGroup",
                report.parameterGroupName()));
    }
}
