package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.steps.ProvisionStep;
import io.cdcenabler.steps.TargetConnections;
import io.cdcenabler.workflow.StepOutcomes.ProvisionOutcome;
import io.cdcenabler.workflow.WorkflowState;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Provision Task state: {@link ProvisionStep} over the writer endpoint, connected over TLS verify-full with the
 * RDS CA bundle shipped in the jar.
 */
public final class ProvisionHandler implements RequestStreamHandler {
    private final ProvisionStep step;

    public ProvisionHandler() {
        this(AwsClients.secretsManager(), RdsTlsConnections.fromEnvironment());
        SnapStartPriming.register();
    }

    ProvisionHandler(SecretsManagerClient secretsManager, TargetConnections connections) {
        this.step = new ProvisionStep(new AdminSecrets(secretsManager), new CdcSecretStore(secretsManager),
                connections);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handleState(input, output, this::provision);
    }

    ProvisionOutcome provision(WorkflowState state) {
        return step.provision(state);
    }
}
