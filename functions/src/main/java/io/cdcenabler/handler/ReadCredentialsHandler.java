package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.workflow.StepOutcomes.CredentialsReference;
import io.cdcenabler.workflow.WorkflowState;
import java.io.InputStream;
import java.io.OutputStream;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The ReadCredentials Task state: resolves the admin secret (the request's adminSecretArn, else the RDS-managed
 * master user secret), checks that it holds a username and a password, and passes on only its ARN, version and
 * user name, so no password ever enters the state machine.
 */
public final class ReadCredentialsHandler implements RequestStreamHandler {
    private final AdminSecrets adminSecrets;

    public ReadCredentialsHandler() {
        this(AwsClients.secretsManager());
        SnapStartPriming.register();
    }

    ReadCredentialsHandler(SecretsManagerClient secretsManager) {
        this.adminSecrets = new AdminSecrets(secretsManager);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handleState(input, output, this::readCredentials);
    }

    CredentialsReference readCredentials(WorkflowState state) {
        return adminSecrets.resolve(state.requireTarget());
    }
}
