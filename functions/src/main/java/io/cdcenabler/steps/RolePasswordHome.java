package io.cdcenabler.steps;

import io.cdcenabler.postgres.CdcRoleAudit;
import io.cdcenabler.postgres.ConnectionSource;
import io.cdcenabler.postgres.LockPolicy;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.secrets.StoredCdcSecret;
import io.cdcenabler.workflow.LogLines;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a CDC role's password lives when several databases of one server share the role. A role is cluster-wide but
 * each database has its own CDC secret; a second database's first run would otherwise store a new password and
 * re-password the role, leaving the first database's secret stale. Our role's comment names the secret that holds
 * its password ({@link CdcRoleAudit#passwordSecret}); a run whose own secret does not exist yet stores that secret's
 * password (read only then, and only from a sibling secret of the same target and user, whatever the comment
 * says), so the role keeps its password and every secret holds it. The comment is written once the role's password
 * is in this run's secret, when it names no usable secret.
 */
final class RolePasswordHome implements Supplier<Secret> {
    private static final Logger LOG = LoggerFactory.getLogger(RolePasswordHome.class);

    private final CdcSecretStore secrets;
    private final String ownSecret;
    private final Optional<String> sibling;
    private boolean needsRecording;

    private RolePasswordHome(CdcSecretStore secrets, String ownSecret, Optional<String> sibling,
                             boolean namesOwnSecret) {
        this.secrets = secrets;
        this.ownSecret = ownSecret;
        this.sibling = sibling;
        this.needsRecording = !namesOwnSecret && sibling.isEmpty();
    }

    /** What the role's comment says, kept only when it names another database's secret of this target and user. */
    static RolePasswordHome read(CdcSecretStore secrets, ConnectionSource admin, TargetNames names) {
        String own = CdcSecretStore.secretName(names.identifier(), names.database(), names.cdcUser());
        Optional<String> named = CdcRoleAudit.passwordSecret(admin, names.cdcUser());
        boolean namesOwn = named.isPresent() && named.get().equals(own);
        return new RolePasswordHome(secrets, own, named.filter(name -> !namesOwn
                && CdcSecretStore.isSiblingName(name, names.identifier(), names.cdcUser())), namesOwn);
    }

    /** The password for a new secret: the sibling's when it holds one, else a new one. */
    @Override
    public Secret get() {
        Optional<Secret> shared = sibling.flatMap(secrets::find).filter(StoredCdcSecret::hasPassword)
                .map(StoredCdcSecret::password);
        needsRecording = shared.isEmpty();
        LOG.info(LogLines.json("event", "cdcPasswordForNewSecret", "secretName", ownSecret, "source",
                shared.isPresent() ? "the role's password secret " + sibling.get() : "generated"));
        return shared.orElseGet(Secret::generate);
    }

    /** Whether the role's comment should name this run's secret: it names none, or one that holds no password. */
    boolean needsRecording() {
        return needsRecording;
    }

    /** After the role's password is in this run's secret: names that secret in the role's comment if needed. */
    void recordIfNeeded(ConnectionSource admin, String cdcUser, LockPolicy policy) {
        if (needsRecording() && CdcRoleAudit.recordPasswordSecret(admin, cdcUser, ownSecret, policy)) {
            LOG.info(LogLines.json("event", "cdcPasswordSecretRecorded", "role", cdcUser, "secretName", ownSecret));
        }
    }

    /** The target, database and CDC user a secret is named by. */
    record TargetNames(String identifier, String database, String cdcUser) {
    }
}
