package io.cdcenabler.steps;

import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.postgres.SlotThresholds;
import io.cdcenabler.postgres.VerificationReport;
import io.cdcenabler.postgres.Verifier;
import io.cdcenabler.secrets.AdminCredentials;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.StepOutcomes.VerifyOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.VerificationFailedException;
import io.cdcenabler.workflow.WorkflowState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verify: the engine's read-only verification through the same connection path as Provision, with the CDC user's
 * password from its secret so the check really opens a logical slot as that user. A database that is not ready ends
 * in a {@link VerificationFailedException} listing every failed check.
 */
public final class VerifyStep {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyStep.class);

    private final AdminSecrets adminSecrets;
    private final CdcSecretStore cdcSecrets;
    private final TargetConnections connections;

    public VerifyStep(AdminSecrets adminSecrets, CdcSecretStore cdcSecrets, TargetConnections connections) {
        this.adminSecrets = Objects.requireNonNull(adminSecrets, "adminSecrets");
        this.cdcSecrets = Objects.requireNonNull(cdcSecrets, "cdcSecrets");
        this.connections = Objects.requireNonNull(connections, "connections");
    }

    public VerifyOutcome verify(WorkflowState state) {
        TargetDatabase.Resolved resolved = TargetDatabase.resolve(state);
        TargetDescription target = resolved.target();
        ProvisioningRequest request = target.request();
        String database = resolved.database();
        ProvisioningSpec spec = resolved.spec();
        AdminCredentials admin = adminSecrets.read(state.credentials());
        if (spec.createsUser()) {
            spec = spec.withCdcPassword(Optional.of(cdcPassword(state, database, spec)));
        }
        VerificationReport report;
        try {
            report = new Verifier(connections.open(target, admin.username(), admin.password()),
                    slotThresholds(target)).verify(spec);
        } catch (CdcEnablerException e) {
            throw ErrorTranslation.translate(e, "verifying database " + database + " of " + request.identifier());
        }
        LOG.info(LogLines.json("event", "verified", "identifier", request.identifier(), "database", database,
                "ready", report.ready(), "failed", report.failures().stream().map(VerificationReport.Check::name)
                        .toList()));
        if (!report.ready()) {
            throw new VerificationFailedException("database " + database + " of " + request.identifier()
                    + " is not ready for CDC; failed checks: " + report.failures().stream()
                    .map(check -> check.name() + ": " + check.detail()).collect(Collectors.joining("; ")));
        }
        List<String> checks = new java.util.ArrayList<>(report.checks().stream()
                .map(check -> check.status() + " " + check.name() + ": " + check.detail()).toList());
        if (target.blueGreen() != null) {
            checks.add("WARN blue/green deployment: " + target.blueGreen());
        }
        return new VerifyOutcome(true, checks);
    }

    /** The CDC user's password from the secret Provision returned, else from the secret named after the target. */
    private Secret cdcPassword(WorkflowState state, String database, ProvisioningSpec spec) {
        String secretId = state.provision() != null && state.provision().cdcSecretArn() != null
                ? state.provision().cdcSecretArn()
                : CdcSecretStore.secretName(state.requireTarget().request().identifier(), database, spec.cdcUser());
        return cdcSecrets.read(secretId).password();
    }

    /**
     * The replication-slot thresholds of the Verify step: shares of the target's allocated storage (WARN 10 %, FAIL
     * 25 %) when RDS reports one, else the absolute defaults (Aurora, whose storage grows on its own).
     */
    static SlotThresholds slotThresholds(TargetDescription target) {
        Integer gib = target.allocatedStorageGib();
        return SlotThresholds.parse(null, null, gib == null || gib <= 0 ? OptionalLong.empty()
                : OptionalLong.of((long) gib << 30));
    }
}
