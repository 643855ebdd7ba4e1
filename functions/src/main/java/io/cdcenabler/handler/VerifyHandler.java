package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.steps.TargetConnections;
import io.cdcenabler.steps.VerifyStep;
import io.cdcenabler.workflow.StepOutcomes.VerifyOutcome;
import io.cdcenabler.workflow.WorkflowState;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The Verify Task state: {@link VerifyStep} through the same TLS connection path as Provision. */
public final class VerifyHandler implements RequestStreamHandler {
    private final VerifyStep step;

    public VerifyHandler() {
        this(AwsClients.secretsManager(), RdsTlsConnections.fromEnvironment());
        SnapStartPriming.register();
    }

    VerifyHandler(SecretsManagerClient secretsManager, TargetConnections connections) {
        this.step = new VerifyStep(new AdminSecrets(secretsManager), new CdcSecretStore(secretsManager), connections);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handleState(input, output, this::verify);
    }

    VerifyOutcome verify(WorkflowState state) {
        return step.verify(state);
    }
}
