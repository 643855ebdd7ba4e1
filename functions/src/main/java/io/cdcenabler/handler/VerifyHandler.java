package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.postgres.VerificationReport;
import io.cdcenabler.postgres.Verifier;
import io.cdcenabler.secrets.AdminCredentials;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.secrets.StoredCdcSecret;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.StepOutcomes.VerifyOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.VerificationFailedException;
import io.cdcenabler.workflow.WorkflowState;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Verify Task state: the engine's read-only verification through the same TLS connection path as Provision,
 * with the CDC user's password from its secret so the check really opens a logical slot as that user. A database
 * that is not ready ends in a {@link VerificationFailedException} listing every failed check.
 */
public final class VerifyHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(VerifyHandler.class);

    private final AdminSecrets adminSecrets;
    private final CdcSecretStore cdcSecrets;
    private final TargetConnections connections;

    public VerifyHandler() {
        this(AwsClients.secretsManager(), RdsTlsConnections.fromEnvironment());
        SnapStartPriming.register();
    }

    VerifyHandler(SecretsManagerClient secretsManager, TargetConnections connections) {
        this.adminSecrets = new AdminSecrets(secretsManager);
        this.cdcSecrets = new CdcSecretStore(secretsManager);
        this.connections = connections;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handleState(input, output, this::verify);
    }

    VerifyOutcome verify(WorkflowState state) {
        TargetDescription target = state.requireTarget();
        ProvisioningRequest request = target.request();
        String database = ProvisionHandler.databaseOf(target);
        ProvisionHandler.requireEndpoint(target);
        ProvisioningSpec spec = ProvisioningSpecs.of(request);
        AdminCredentials admin = adminSecrets.read(state.credentials());
        if (spec.createsUser()) {
            String secretId = state.provision() != null && state.provision().cdcSecretArn() != null
                    ? state.provision().cdcSecretArn()
                    : CdcSecretStore.secretName(request.identifier(), database, spec.cdcUser());
            StoredCdcSecret cdcSecret = cdcSecrets.read(secretId);
            char[] cdcPassword = cdcSecret.password();
            spec = spec.withCdcPassword(Optional.of(Secret.of(cdcPassword)));
            Arrays.fill(cdcPassword, '\0');
        }

        VerificationReport report;
        char[] adminPassword = admin.password();
        try {
            report = new Verifier(connections.open(target, admin.username(), Secret.of(adminPassword))).verify(spec);
        } catch (CdcEnablerException e) {
            throw ErrorTranslation.translate(e, "verifying database " + database + " of " + request.identifier());
        } finally {
            Arrays.fill(adminPassword, '\0');
        }

        List<String> checks = report.checks().stream()
                .map(check -> check.status() + " " + check.name() + ": " + check.detail()).toList();
        LOG.info(LogLines.json("event", "verified", "identifier", request.identifier(), "database", database,
                "ready", report.ready(), "failed", report.failures().stream().map(VerificationReport.Check::name)
                        .toList()));
        if (!report.ready()) {
            throw new VerificationFailedException("database " + database + " of " + request.identifier()
                    + " is not ready for CDC; failed checks: " + report.failures().stream()
                    .map(check -> check.name() + ": " + check.detail()).collect(Collectors.joining("; ")));
        }
        return new VerifyOutcome(true, checks);
    }
}
