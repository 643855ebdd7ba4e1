package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.steps.PrepareUpgradeStep;
import io.cdcenabler.steps.TargetConnections;
import io.cdcenabler.upgrade.UpgradePreparation;
import io.cdcenabler.workflow.PrepareUpgradeInput;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * PrepareUpgrade: {@code cdc-enabler prepare-upgrade} as the workflow input {@code prepareUpgrade}, over RDS, the
 * admin secret and the same TLS connection path as Provision; its result is the command's report.
 */
public final class PrepareUpgradeHandler implements RequestStreamHandler {
    private final PrepareUpgradeStep step;

    public PrepareUpgradeHandler() {
        this(AwsClients.rds(), AwsClients.secretsManager(), RdsTlsConnections.fromEnvironment());
        SnapStartPriming.register();
    }

    PrepareUpgradeHandler(RdsClient rds, SecretsManagerClient secretsManager, TargetConnections connections) {
        Objects.requireNonNull(rds, "rds");
        this.step = new PrepareUpgradeStep((database, policy, request) -> new UpgradePreparation(rds, database,
                policy).prepare(request), new AdminSecrets(secretsManager), connections);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handle(input, output, PrepareUpgradeInput.class, step::prepare);
    }
}
