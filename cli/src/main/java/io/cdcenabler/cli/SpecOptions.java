package io.cdcenabler.cli;

import io.cdcenabler.postgres.CredentialsMode;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.postgres.TableName;
import io.cdcenabler.postgres.TrackingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What to provision or verify: the options shared by provision, plan and verify. */
final class SpecOptions {
    @Option(names = "--publication", paramLabel = "NAME", defaultValue = ProvisioningSpec.DEFAULT_PUBLICATION,
            description = "Publication name (default: ${DEFAULT-VALUE})")
    String publication;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "ALL_TABLES",
            description = "Tracking mode: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    TrackingMode mode;

    @Option(names = "--credentials", paramLabel = "MODE", defaultValue = "READ_ONLY_USER",
            description = "CDC login: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    CredentialsMode credentials;

    @Option(names = "--cdc-user", paramLabel = "NAME", defaultValue = ProvisioningSpec.DEFAULT_CDC_USER,
            description = "CDC role for READ_ONLY_USER (default: ${DEFAULT-VALUE})")
    String cdcUser;

    @Option(names = "--cdc-password-env", paramLabel = "VAR",
            description = "Environment variable holding the CDC role's password")
    String cdcPasswordEnv;

    @Option(names = "--cdc-password-file", paramLabel = "FILE",
            description = "File holding the CDC role's password; provision writes a generated one there (mode 600) "
                    + "when the file does not exist yet")
    Path cdcPasswordFile;

    @Mixin
    TrackedTablesOptions tracked = new TrackedTablesOptions();

    @Mixin
    LockOptions lock = new LockOptions();

    ProvisioningSpec spec(PasswordSources passwords) {
        if (cdcPasswordEnv != null && cdcPasswordFile != null) {
            throw new UsageException("give at most one of --cdc-password-env and --cdc-password-file");
        }
        if (credentials == CredentialsMode.MASTER && (cdcPasswordEnv != null || cdcPasswordFile != null)) {
            throw new UsageException("--cdc-password-env and --cdc-password-file apply only to "
                    + "--credentials READ_ONLY_USER");
        }
        if (mode == TrackingMode.SELECTED_TABLES && tracked.tables.isEmpty()) {
            throw new UsageException("--mode SELECTED_TABLES needs at least one --table schema.table");
        }
        if (mode == TrackingMode.ALL_TABLES && !tracked.tables.isEmpty()) {
            throw new UsageException("--table applies to --mode SELECTED_TABLES; ALL_TABLES tracks whole schemas "
                    + "(--schema)");
        }
        Secret password = null;
        if (cdcPasswordEnv != null) {
            password = passwords.env(cdcPasswordEnv, true);
        } else if (cdcPasswordFile != null && Files.exists(cdcPasswordFile)) {
            password = PasswordSources.readFile(cdcPasswordFile);
        }
        return ProvisioningSpec.builder()
                .publication(publication)
                .trackingMode(mode)
                .schemas(tracked.schemas)
                .tables(tracked.tables.stream().map(TableName::parse).toList())
                .credentialsMode(credentials)
                .cdcUser(cdcUser)
                .cdcPassword(password)
                .publishViaPartitionRoot(tracked.publishViaPartitionRoot)
                .lockPolicy(lock.policy())
                .build();
    }
}
