package io.cdcenabler.cli;

import io.cdcenabler.postgres.CredentialsMode;
import io.cdcenabler.postgres.InvalidSpecException;
import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.ProvisioningResult;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.postgres.WalLevelNotLogicalException;
import java.io.PrintWriter;
import java.nio.file.Files;
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

    @Override
    public Integer call() {
        PrintWriter out = out();
        PrintWriter err = err();
        JdbcConnectionSource source = source();
        ProvisioningSpec spec = specOptions.spec(passwords());
        Provisioner provisioner = provisioner(source);

        String walLevel = provisioner.walLevel();
        if (!"logical".equals(walLevel) && !allowWalLevel) {
            throw new WalLevelNotLogicalException("wal_level is " + walLevel + ", not logical: no CDC tool could read "
                    + "changes. On RDS/Aurora set rds.logical_replication=1 in the parameter group and reboot; "
                    + "elsewhere set wal_level=logical and restart. Nothing was changed. (To provision anyway, pass "
                    + "--allow-wal-level-not-logical.)");
        }
        boolean writeGeneratedPassword = false;
        if (spec.credentialsMode() == CredentialsMode.READ_ONLY_USER && spec.cdcPassword().isEmpty()) {
            boolean exists = provisioner.roleExists(spec.cdcUser());
            if (specOptions.cdcPasswordFile == null) {
                if (!exists) {
                    throw new InvalidSpecException("the CDC role " + spec.cdcUser() + " does not exist yet and needs a "
                            + "password: pass --cdc-password-file FILE (a generated password is written there, mode "
                            + "600) or --cdc-password-env VAR. Nothing was changed.");
                }
            } else if (exists && !resetCdcPassword) {
                throw new InvalidSpecException("the CDC role " + spec.cdcUser() + " exists but "
                        + specOptions.cdcPasswordFile + " does not: put its password there, or pass "
                        + "--reset-cdc-password to give it a new one written there. Nothing was changed.");
            } else {
                writeGeneratedPassword = true;
                if (exists) {
                    spec = spec.withCdcPassword(Optional.of(Secret.generate()));
                }
            }
        }
        if (writeGeneratedPassword && Files.exists(specOptions.cdcPasswordFile)) {
            throw new InvalidSpecException("password file " + specOptions.cdcPasswordFile + " appeared meanwhile");
        }

        ProvisioningResult result = provisioner.provision(spec);
        Optional<Secret> toWrite = result.generatedPassword().isPresent() ? result.generatedPassword()
                : writeGeneratedPassword ? spec.cdcPassword() : Optional.empty();
        if (writeGeneratedPassword && toWrite.isPresent()) {
            PasswordSources.writeNewFile(specOptions.cdcPasswordFile, toWrite.get());
        }

        if (output.json) {
            Map<String, Object> document = Output.object();
            document.put("ok", true);
            document.put("changed", result.changes().size());
            document.put("changes", Output.changes(result.changes()));
            document.put("notes", result.notes());
            if (writeGeneratedPassword && toWrite.isPresent()) {
                document.put("cdcPasswordFile", specOptions.cdcPasswordFile.toString());
            }
            output.printJson(out, document);
        } else {
            out.println("Provisioned " + source.describe() + " (publication " + spec.publication() + ", "
                    + spec.trackingMode() + ", " + spec.credentialsMode() + "):");
            output.printChanges(out, result.changes());
            result.notes().forEach(note -> out.println("note: " + note));
            if (writeGeneratedPassword && toWrite.isPresent()) {
                out.println("The CDC role's password was written to " + specOptions.cdcPasswordFile + " (mode 600).");
            }
        }
        return 0;
    }
}
