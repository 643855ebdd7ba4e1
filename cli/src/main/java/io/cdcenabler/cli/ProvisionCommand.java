package io.cdcenabler.cli;

import io.cdcenabler.postgres.CdcRoleAudit;
import io.cdcenabler.postgres.CredentialsMode;
import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.ProvisioningResult;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.postgres.WalLevelNotLogicalException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Applies the provisioning; a re-run on a ready database reports zero changes. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Make the database ready for CDC (idempotent: a second run changes nothing).")
final class ProvisionCommand extends DatabaseCommand {
    @Mixin
    SpecOptions specOptions = new SpecOptions();

    @Option(names = "--allow-wal-level-not-logical",
            description = "Provision even though wal_level is not logical yet (e.g. before the reboot on RDS)")
    boolean allowWalLevel;

    @Option(names = "--reset-cdc-password",
            description = "With --cdc-password-file naming a file that does not exist: give an existing CDC role a "
                    + "new generated password and write it there")
    boolean resetCdcPassword;

    @Option(names = "--adopt-existing-role",
            description = "Let --cdc-user name an existing role cdc-enabler did not create: it is restricted to "
                    + "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE and, with a password source, given that password")
    boolean adoptExistingRole;

    @Option(names = "--release-upgrade-hold",
            description = "Bring back the event trigger prepare-upgrade holds for a major version upgrade this "
                    + "server has not had (the upgrade was rolled back or called off)")
    boolean releaseUpgradeHold;

    /** Named points between the steps of a run; tests stop the process at one to prove that a re-run converges. */
    @FunctionalInterface
    interface Checkpoint {
        Checkpoint NONE = name -> { };

        void reached(String name);
    }

    static volatile Checkpoint checkpoint = Checkpoint.NONE;

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        JdbcConnectionSource source = source();
        ProvisioningSpec spec = specOptions.spec(passwords()).withAdoptExistingRole(adoptExistingRole)
                .withReleaseUpgradeHold(releaseUpgradeHold);
        Provisioner provisioner = provisioner(source);

        String walLevel = provisioner.walLevel();
        if (!"logical".equals(walLevel) && !allowWalLevel) {
            throw new WalLevelNotLogicalException("wal_level is " + walLevel + ", not logical: no CDC tool could read "
                    + "changes. On RDS/Aurora set rds.logical_replication=1 in the parameter group and reboot; "
                    + "elsewhere set wal_level=logical and restart. Nothing was changed. (To provision anyway, pass "
                    + "--allow-wal-level-not-logical.)");
        }
        Optional<Secret> stored = storeCdcPassword(source, spec);
        if (stored.isPresent()) {
            spec = spec.withCdcPassword(stored);
        }
        boolean writeGeneratedPassword = stored.isPresent();
        checkpoint.reached("cdcPasswordStored");

        ProvisioningResult result = provisioner.provision(spec);
        checkpoint.reached("provisioned");

        if (output.json) {
            Map<String, Object> document = Output.object();
            document.put("ok", true);
            document.put("changed", result.changes().size());
            document.put("changes", Output.changes(result.changes()));
            document.put("notes", result.notes());
            if (writeGeneratedPassword) {
                document.put("cdcPasswordFile", specOptions.cdcPasswordFile.toString());
            }
            output.printJson(out, document);
        } else {
            out.println("Provisioned " + source.describe() + " (publication " + spec.publication() + ", "
                    + spec.trackingMode() + ", " + spec.credentialsMode() + "):");
            output.printChanges(out, result.changes());
            result.notes().forEach(note -> out.println("note: " + note));
            if (writeGeneratedPassword) {
                out.println("The CDC role's password was written to " + specOptions.cdcPasswordFile + " (mode 600).");
            }
        }
        return 0;
    }

    /**
     * For a CDC role that needs a new password (a new role, or --reset-cdc-password) and a --cdc-password-file that
     * does not exist: generates one and stores it in the file before the role gets it, so a crash at any point
     * leaves it where its user reads it and the plain re-run sets it. Empty when the password comes from elsewhere.
     */
    private Optional<Secret> storeCdcPassword(JdbcConnectionSource source, ProvisioningSpec spec) {
        if (spec.credentialsMode() != CredentialsMode.READ_ONLY_USER || spec.cdcPassword().isPresent()) {
            return Optional.empty();
        }
        Path file = specOptions.cdcPasswordFile;
        if (resetCdcPassword && file == null) {
            throw new UsageException("--reset-cdc-password needs --cdc-password-file naming a file that does not "
                    + "exist yet: the new password is written there before the role gets it. Nothing was changed.");
        }
        Optional<CdcRoleAudit.ExistingRole> role = CdcRoleAudit.inspect(source, spec.cdcUser());
        boolean exists = role.isPresent();
        if (file == null) {
            if (!exists) {
                throw new UsageException("the CDC role " + spec.cdcUser() + " does not exist yet and needs a "
                        + "password: pass --cdc-password-file FILE (a generated password is written there, mode "
                        + "600) or --cdc-password-env VAR. Nothing was changed.");
            }
            return Optional.empty();
        }
        if (Files.exists(file)) {
            return Optional.of(PasswordSources.readFile(file));
        }
        if (exists) {
            CdcRoleAudit.requireAdoptable(role.get(), resetCdcPassword, adoptExistingRole);
        }
        if (exists && !resetCdcPassword) {
            throw new UsageException("the CDC role " + spec.cdcUser() + " exists but " + file
                    + " does not: put its password there, or pass --reset-cdc-password to give it a new one written "
                    + "there. Nothing was changed.");
        }
        return Optional.of(PasswordSources.storeNewFile(file, Secret.generate()));
    }
}
