package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.postgres.Change;
import io.cdcenabler.postgres.ConnectionSource;
import io.cdcenabler.postgres.ProvisioningResult;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.secrets.AdminCredentials;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.secrets.CdcConnection;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.secrets.CdcSecretStore.Ensured;
import io.cdcenabler.secrets.CdcSecretStore.StoreResult;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.StepOutcomes.ProvisionOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.WorkflowState;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Provision Task state: reads the exact admin secret version ReadCredentials checked, connects to the writer
 * endpoint over TLS verify-full with the RDS CA bundle shipped in the jar, runs the provisioning engine, and keeps the
 * CDC user's credentials in the secret {@code cdc-enabler/<instance-or-cluster-id>/<database>/<cdc user>} (reusing
 * its password on a re-run, so nothing churns). The secret is created (or read) with the password before the role's
 * password is set from it, so a crash between the two leaves the password where the CDC tool reads it and the next
 * run sets it, and two runs at once converge on one secret whose password is the role's. Returns the secret's ARN and
 * what changed, never a secret value.
 *
 * <p>In credentials mode MASTER no CDC user and no CDC secret are created: the CDC tool logs in with the admin
 * secret, and {@code cdcSecretArn} is the admin secret's ARN.
 */
public final class ProvisionHandler implements RequestStreamHandler {
    static final int LISTED_PER_ACTION = 10;
    private static final Logger LOG = LoggerFactory.getLogger(ProvisionHandler.class);

    private final AdminSecrets adminSecrets;
    private final CdcSecretStore cdcSecrets;
    private final TargetConnections connections;

    public ProvisionHandler() {
        this(AwsClients.secretsManager(), RdsTlsConnections.fromEnvironment());
        SnapStartPriming.register();
    }

    ProvisionHandler(SecretsManagerClient secretsManager, TargetConnections connections) {
        this.adminSecrets = new AdminSecrets(secretsManager);
        this.cdcSecrets = new CdcSecretStore(secretsManager);
        this.connections = connections;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handleState(input, output, this::provision);
    }

    ProvisionOutcome provision(WorkflowState state) {
        TargetDescription target = state.requireTarget();
        ProvisioningRequest request = target.request();
        String database = databaseOf(target);
        requireEndpoint(target);
        ProvisioningSpec spec = ProvisioningSpecs.of(request);
        AdminCredentials admin = adminSecrets.read(state.credentials());

        if (!spec.createsUser()) {
            List<Change> changes = runEngine(target, admin, spec);
            LOG.info(LogLines.json("event", "provisioned", "identifier", request.identifier(), "database", database,
                    "credentialsMode", request.credentialsMode(), "cdcSecretArn", admin.secretArn(),
                    "changed", changes.size()));
            return new ProvisionOutcome(admin.secretArn(), changes.size(), summarize(changes));
        }

        String secretName = CdcSecretStore.secretName(request.identifier(), database, spec.cdcUser());
        CdcConnection connection = new CdcConnection(target.endpointHost(), target.endpointPort(), spec.cdcUser(),
                database, spec.publication());
        char[] candidate = Secret.generate().reveal();
        Ensured ensured;
        try {
            ensured = cdcSecrets.ensure(secretName, connection, candidate);
        } finally {
            Arrays.fill(candidate, '\0');
        }
        Secret password = Secret.of(ensured.password());
        Arrays.fill(ensured.password(), '\0');
        LOG.info(LogLines.json("event", "cdcPasswordChosen", "identifier", request.identifier(),
                "secretName", secretName, "secretArn", ensured.arn(), "source",
                ensured.action() == CdcSecretStore.Action.UNCHANGED ? "existing secret" : "generated and stored"));

        List<Change> changes = new ArrayList<>(runEngine(target, admin,
                spec.withCdcPassword(Optional.of(password))));
        StoreResult stored = new StoreResult(ensured.arn(), ensured.versionId(), ensured.action());
        if (ensured.action() != CdcSecretStore.Action.CREATED) {
            char[] revealed = password.reveal();
            try {
                StoreResult after = cdcSecrets.store(secretName, connection, revealed);
                stored = after.action() == CdcSecretStore.Action.UNCHANGED ? stored : after;
            } finally {
                Arrays.fill(revealed, '\0');
            }
        }
        if (stored.action() != CdcSecretStore.Action.UNCHANGED) {
            changes.add(new Change((stored.action() == CdcSecretStore.Action.CREATED ? "created" : "updated")
                    + " secret", stored.arn()));
        }
        LOG.info(LogLines.json("event", "provisioned", "identifier", request.identifier(), "database", database,
                "credentialsMode", request.credentialsMode(), "cdcSecretArn", stored.arn(),
                "cdcSecret", stored.action(), "changed", changes.size()));
        return new ProvisionOutcome(stored.arn(), changes.size(), summarize(changes));
    }

    private List<Change> runEngine(TargetDescription target, AdminCredentials admin, ProvisioningSpec spec) {
        char[] adminPassword = admin.password();
        try {
            ConnectionSource source = connections.open(target, admin.username(), Secret.of(adminPassword));
            ProvisioningResult result = new Provisioner(source).provision(spec);
            return result.changes();
        } catch (CdcEnablerException e) {
            throw ErrorTranslation.translate(e, "provisioning database " + target.database() + " of "
                    + target.request().identifier());
        } finally {
            Arrays.fill(adminPassword, '\0');
        }
    }

    /**
     * The changes as lines for the execution's state, which Step Functions caps at 256 KiB: an action done to more
     * than {@value #LISTED_PER_ACTION} objects (REPLICA IDENTITY FULL on 20,000 tables) is one line with their
     * number and the first few names, so the outcome stays a few KiB whatever the database's size.
     */
    static List<String> summarize(List<Change> changes) {
        Map<String, List<String>> byAction = new LinkedHashMap<>();
        changes.forEach(change -> byAction.computeIfAbsent(change.action(), a -> new ArrayList<>())
                .add(change.target()));
        List<String> lines = new ArrayList<>();
        byAction.forEach((action, targets) -> {
            if (targets.size() <= LISTED_PER_ACTION) {
                targets.forEach(target -> lines.add(new Change(action, target).toString()));
            } else {
                lines.add(action + " " + String.join(", ", targets.subList(0, 5)) + " and "
                        + (targets.size() - 5) + " more (" + targets.size() + " in all)");
            }
        });
        return lines;
    }

    /** The database to provision: the one DescribeTarget resolved, else the request's. */
    static String databaseOf(TargetDescription target) {
        String database = target.database() != null ? target.database() : target.request().database();
        if (database == null || database.isBlank()) {
            throw new InvalidInputException("target.database and target.request.database are both empty: name the "
                    + "database to provision");
        }
        return database;
    }

    static void requireEndpoint(TargetDescription target) {
        if (target.endpointHost() == null || target.endpointHost().isBlank() || target.endpointPort() < 1
                || target.endpointPort() > 65535) {
            throw new InvalidInputException("target.endpointHost and target.endpointPort must name the writer "
                    + "endpoint, were " + target.endpointHost() + " and " + target.endpointPort());
        }
    }
}
