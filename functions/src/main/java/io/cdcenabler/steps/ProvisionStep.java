package io.cdcenabler.steps;

import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.postgres.Change;
import io.cdcenabler.postgres.ConnectionSource;
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
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.StepOutcomes.ProvisionOutcome;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.WorkflowState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provision: reads the exact admin secret version ReadCredentials checked, connects to the writer endpoint, runs the
 * provisioning engine, and keeps the CDC user's credentials in the secret
 * {@code cdc-enabler/<instance-or-cluster-id>/<database>/<cdc user>} (reusing its password on a re-run, so nothing
 * churns). The secret is created (or read) with the password before the role's password is set from it, so a crash
 * between the two leaves the password where the CDC tool reads it and the next run sets it, and two runs at once
 * converge on one secret whose password is the role's. Returns the secret's ARN and what changed, never a secret
 * value.
 *
 * <p>In credentials mode MASTER no CDC user and no CDC secret are created: the CDC tool logs in with the admin
 * secret, and {@code cdcSecretArn} is the admin secret's ARN.
 */
public final class ProvisionStep {
    private static final Logger LOG = LoggerFactory.getLogger(ProvisionStep.class);

    private final AdminSecrets adminSecrets;
    private final CdcSecretStore cdcSecrets;
    private final TargetConnections connections;

    public ProvisionStep(AdminSecrets adminSecrets, CdcSecretStore cdcSecrets, TargetConnections connections) {
        this.adminSecrets = Objects.requireNonNull(adminSecrets, "adminSecrets");
        this.cdcSecrets = Objects.requireNonNull(cdcSecrets, "cdcSecrets");
        this.connections = Objects.requireNonNull(connections, "connections");
    }

    public ProvisionOutcome provision(WorkflowState state) {
        TargetDatabase.Resolved resolved = TargetDatabase.resolve(state);
        TargetDescription target = resolved.target();
        ProvisioningRequest request = target.request();
        String database = resolved.database();
        ProvisioningSpec spec = resolved.spec();
        AdminCredentials admin = adminSecrets.read(state.credentials());
        if (spec.createsUser()) {
            return provisionWithCdcUser(target, database, spec, admin);
        }
        List<Change> changes = runEngine(target, connections.open(target, admin.username(), admin.password()), spec);
        LOG.info(LogLines.json("event", "provisioned", "identifier", request.identifier(), "database", database,
                "credentialsMode", request.credentialsMode(), "cdcSecretArn", admin.secretArn(),
                "changed", changes.size()));
        return new ProvisionOutcome(admin.secretArn(), changes.size(), ChangeSummary.lines(changes));
    }

    private ProvisionOutcome provisionWithCdcUser(TargetDescription target, String database, ProvisioningSpec spec,
                                                  AdminCredentials admin) {
        ProvisioningRequest request = target.request();
        String secretName = CdcSecretStore.secretName(request.identifier(), database, spec.cdcUser());
        CdcConnection connection = new CdcConnection(target.endpointHost(), target.endpointPort(), spec.cdcUser(),
                database, spec.publication());
        ConnectionSource adminConnections = connections.open(target, admin.username(), admin.password());
        RolePasswordHome home = translated(target, () -> RolePasswordHome.read(cdcSecrets, adminConnections,
                new RolePasswordHome.TargetNames(request.identifier(), database, spec.cdcUser())));
        Ensured ensured = cdcSecrets.ensure(secretName, connection, home);
        Secret password = ensured.password();
        LOG.info(LogLines.json("event", "cdcPasswordChosen", "identifier", request.identifier(),
                "secretName", secretName, "secretArn", ensured.arn(), "source",
                ensured.action() == CdcSecretStore.Action.UNCHANGED ? "existing secret" : "generated and stored"));

        List<Change> changes = new ArrayList<>(runEngine(target, adminConnections,
                spec.withCdcPassword(Optional.of(password))));
        StoreResult stored = storeAfterwards(secretName, connection, password, ensured);
        translated(target, () -> home.recordIfNeeded(adminConnections, spec.cdcUser(), spec.lockPolicy()));
        if (stored.action() != CdcSecretStore.Action.UNCHANGED) {
            changes.add(new Change((stored.action() == CdcSecretStore.Action.CREATED ? "created" : "updated")
                    + " secret", stored.arn()));
        }
        LOG.info(LogLines.json("event", "provisioned", "identifier", request.identifier(), "database", database,
                "credentialsMode", request.credentialsMode(), "cdcSecretArn", stored.arn(),
                "cdcSecret", stored.action(), "changed", changes.size()));
        return new ProvisionOutcome(stored.arn(), changes.size(), ChangeSummary.lines(changes));
    }

    /** A secret this run did not create is written again with the role's password (a no-op when it holds it). */
    private StoreResult storeAfterwards(String secretName, CdcConnection connection, Secret password,
                                        Ensured ensured) {
        StoreResult before = new StoreResult(ensured.arn(), ensured.versionId(), ensured.action());
        if (ensured.action() == CdcSecretStore.Action.CREATED) {
            return before;
        }
        StoreResult after = cdcSecrets.store(secretName, connection, password);
        return after.action() == CdcSecretStore.Action.UNCHANGED ? before : after;
    }

    private static List<Change> runEngine(TargetDescription target, ConnectionSource admin, ProvisioningSpec spec) {
        return translated(target, () -> new Provisioner(admin).provision(spec).changes());
    }

    private static void translated(TargetDescription target, Runnable work) {
        translated(target, () -> {
            work.run();
            return null;
        });
    }

    /** Runs engine work, turning its errors into the workflow's named errors. */
    private static <T> T translated(TargetDescription target, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (CdcEnablerException e) {
            throw ErrorTranslation.translate(e, "provisioning database " + target.database() + " of "
                    + target.request().identifier());
        }
    }
}
