package io.cdcenabler.steps;

import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.postgres.ConnectionSource;
import io.cdcenabler.postgres.LockPolicy;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.secrets.AdminCredentials;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.upgrade.UpgradeReport;
import io.cdcenabler.upgrade.UpgradeRequest;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.workflow.PrepareUpgradeInput;
import io.cdcenabler.workflow.TargetDescription;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PrepareUpgrade: {@code cdc-enabler prepare-upgrade} as a workflow input. For the target DescribeTarget resolved, it
 * logs in with the admin secret (one GetSecretValue of the current version) on sessions whose lock_timeout is the
 * request's and whose statement_timeout is bounded, and runs the same preparation as the command: our group of the
 * new family with today's CDC values, the upgrade command naming it, the blockers, and our event trigger dropped
 * last (never in a dry run); the group's decision is logged by the ensurer. A version that is no upgrade fails before anything changes, naming the input field.
 */
public final class PrepareUpgradeStep {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareUpgradeStep.class);

    /** The preparation over one database: {@code UpgradePreparation} over RDS in the handler, a fake in tests. */
    @FunctionalInterface
    public interface Preparation {
        UpgradeReport prepare(ConnectionSource database, LockPolicy policy, UpgradeRequest request);
    }

    private final Preparation preparation;
    private final AdminSecrets adminSecrets;
    private final TargetConnections connections;

    public PrepareUpgradeStep(Preparation preparation, AdminSecrets adminSecrets, TargetConnections connections) {
        this.preparation = Objects.requireNonNull(preparation, "preparation");
        this.adminSecrets = Objects.requireNonNull(adminSecrets, "adminSecrets");
        this.connections = Objects.requireNonNull(connections, "connections");
    }

    public UpgradeReport prepare(PrepareUpgradeInput input) {
        PrepareUpgradeInput.Options options = input.prepareUpgrade();
        if (options == null || options.targetVersion() == null || options.targetVersion().isBlank()) {
            throw new InvalidInputException(PrepareUpgradeInput.FIELD + ".targetVersion is required, e.g. "
                    + "{\"prepareUpgrade\": {\"targetVersion\": \"18\"}}; nothing was changed");
        }
        if (input.target() == null || input.target().request() == null) {
            throw new InvalidInputException("state must hold $.target from DescribeTarget with its request");
        }
        TargetDescription target = input.target();
        TargetDatabase.requireEndpoint(target);
        ProvisioningSpec spec = ProvisioningSpecs.of(target.request());
        AdminCredentials admin = adminSecrets.readCurrent(target);
        ConnectionSource sessions = new BoundedSessions(connections.open(target, admin.username(), admin.password()),
                spec.lockPolicy().lockTimeout(), CheckDriftStep.STATEMENT_TIMEOUT);
        UpgradeReport report;
        try {
            report = preparation.prepare(sessions, spec.lockPolicy(), new UpgradeRequest(target.request(),
                    options.targetVersion(), null, options.dryRun()));
        } catch (CdcEnablerException e) {
            throw ErrorTranslation.translate(fieldNamed(e), "preparing the upgrade of "
                    + target.request().identifier() + " to " + options.targetVersion());
        }
        LOG.info(LogLines.json("event", "upgradePrepared", "identifier", target.request().identifier(),
                "engineVersion", report.engineVersion(), "blockers", report.blockers().size(), "trigger",
                report.trigger(), "dryRun", report.dryRun()));
        return report;
    }

    /** The preparation names the command's option; in the workflow the field is the input's. */
    private static CdcEnablerException fieldNamed(CdcEnablerException e) {
        if (e instanceof io.cdcenabler.upgrade.InvalidUpgradeTargetException && e.getMessage() != null) {
            CdcEnablerException renamed = new io.cdcenabler.upgrade.InvalidUpgradeTargetException(
                    PrepareUpgradeInput.inInputTerms(e.getMessage()));
            renamed.initCause(e);
            return renamed;
        }
        return e;
    }
}
