package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.rds.EventDefaults;
import io.cdcenabler.rds.RdsDriftCheck;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.steps.CheckDriftStep;
import io.cdcenabler.steps.ReconcileCheckStep;
import io.cdcenabler.steps.TargetConnections;
import io.cdcenabler.workflow.ReconcileItem;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * CheckDrift (reconcile): the read-only check of one enrolled database over RDS Describe calls, the admin secret and
 * the database's catalog (through the same TLS connection path as Provision), and the repair inputs when it drifted.
 */
public final class CheckDriftHandler implements RequestStreamHandler {
    private final ReconcileCheckStep step;

    public CheckDriftHandler() {
        this(step(AwsClients.rds(), AwsClients.secretsManager(), RecordEnrolmentHandler.registry(),
                RdsTlsConnections.fromEnvironment()));
        SnapStartPriming.register();
    }

    CheckDriftHandler(ReconcileCheckStep step) {
        this.step = Objects.requireNonNull(step, "step");
    }

    /** The step over these clients. */
    static ReconcileCheckStep step(RdsClient rds, SecretsManagerClient secretsManager, EnrolmentRegistry registry,
                                   TargetConnections connections) {
        return new ReconcileCheckStep(registry, new CheckDriftStep(new RdsDriftCheck(rds, EventDefaults.fromEnvironment(Map.of())),
                new AdminSecrets(secretsManager), connections), Clock.systemUTC());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handle(input, output, ReconcileItem.class, step::check);
    }
}
