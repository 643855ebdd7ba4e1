package io.cdcenabler.cli;

import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.steps.ProvisioningSpecs;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.RebootPolicy;
import io.cdcenabler.workflow.RequestCredentialsMode;
import io.cdcenabler.workflow.RequestDefaults;
import io.cdcenabler.workflow.RequestTrackingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of {@code start} that make the workflow's input: one option per {@link ProvisioningRequest} field,
 * unset ones left to {@link RequestDefaults} as in the console's JSON. The request is validated by the record and by
 * the engine's spec, as the steps will validate it, and an error names the option instead of the field.
 */
final class RequestOptions {
    private static final Map<String, String> OPTION_OF_FIELD = optionOfField();

    @Option(names = "--database", paramLabel = "NAME",
            description = "Database to provision (default: the instance's or cluster's initial database)")
    String database;

    @Option(names = "--tracking-mode", paramLabel = "MODE",
            description = "${COMPLETION-CANDIDATES} (default: " + RequestDefaults.TRACKING_MODE_NAME + ")")
    RequestTrackingMode trackingMode;

    @Mixin
    TrackedTablesOptions tracked = new TrackedTablesOptions();

    @Option(names = "--credentials-mode", paramLabel = "MODE",
            description = "${COMPLETION-CANDIDATES} (default: " + RequestDefaults.CREDENTIALS_MODE_NAME + ")")
    RequestCredentialsMode credentialsMode;

    @Option(names = "--cdc-user", paramLabel = "NAME",
            description = "CDC role for READ_ONLY_USER (default: " + RequestDefaults.CDC_USER + ")")
    String cdcUser;

    @Option(names = "--publication", paramLabel = "NAME",
            description = "Publication name (default: " + RequestDefaults.PUBLICATION + ")")
    String publication;

    @Option(names = "--reboot-policy", paramLabel = "POLICY",
            description = "When the reboot that turns on logical replication may happen: ${COMPLETION-CANDIDATES} "
                    + "(default: " + RequestDefaults.REBOOT_POLICY_NAME + ")")
    RebootPolicy rebootPolicy;

    @Option(names = "--admin-secret-arn", paramLabel = "ARN",
            description = "Secrets Manager secret with the admin login (default: the RDS-managed master secret)")
    String adminSecretArn;

    @Option(names = "--copy-parameter-group",
            description = "When the custom parameter group in use is shared with other databases, copy it instead "
                    + "of modifying it")
    boolean copyParameterGroup;

    @Option(names = "--adopt-existing-role",
            description = "Let the CDC user be an existing role cdc-enabler did not create: it is restricted to what a "
                    + "CDC login needs and given the CDC secret's password (without this, such a role is refused)")
    boolean adoptExistingRole;

    @Option(names = "--release-upgrade-hold",
            description = "Bring back the event trigger prepare-upgrade holds for an upgrade the target has not had "
                    + "(rolled back or called off); not recorded with the enrolment")
    boolean releaseUpgradeHold;

    @Option(names = "--extra-parameter", paramLabel = "NAME=VALUE", mapFallbackValue = "",
            description = "Another parameter to set in the same parameter group, repeatable "
                    + "(e.g. wal_sender_timeout=300000)")
    Map<String, String> extraParameters = new LinkedHashMap<>();

    @Option(names = "--max-slot-wal-keep-size", paramLabel = "SIZE",
            description = "The most WAL replication slots may retain before PostgreSQL invalidates the slot holding "
                    + "it (its consumer must then re-snapshot): a size (51200MB, 50GB, 1TB; at least 1024MB), a share "
                    + "of allocated storage (5-80%%; not for Aurora) or off (default: "
                    // the default ends in "%", which this "%" escapes for picocli's format
                    + RequestDefaults.MAX_SLOT_WAL_KEEP_SIZE + "%, Aurora: left as it is)")
    String maxSlotWalKeepSize;

    @Option(names = "--wait-seconds", paramLabel = "N",
            description = "Seconds between status checks while the target reboots (5-3600, default: "
                    + RequestDefaults.WAIT_SECONDS + ")")
    Integer waitSeconds;

    @Option(names = "--wait-timeout-minutes", paramLabel = "N",
            description = "How long the status checks may go on before the run fails (default: "
                    + RequestDefaults.WAIT_TIMEOUT_MINUTES + ")")
    Integer waitTimeoutMinutes;

    /** The workflow's input for the instance or the cluster (exactly one of them non-null). */
    ProvisioningRequest request(String instance, String cluster) {
        requireExtraParametersNamed();
        try {
            ProvisioningRequest request = ProvisioningRequest.builder()
                    .instanceIdentifier(instance).clusterIdentifier(cluster).database(database)
                    .trackingMode(trackingMode).schemas(tracked.schemas).tables(tracked.tables)
                    .credentialsMode(credentialsMode).cdcUser(cdcUser).publication(publication)
                    .publishViaPartitionRoot(tracked.publishViaPartitionRoot).rebootPolicy(rebootPolicy)
                    .adminSecretArn(adminSecretArn).copyParameterGroup(copyParameterGroup)
                    .extraParameters(extraParameters).waitSeconds(waitSeconds).waitTimeoutMinutes(waitTimeoutMinutes)
                    .adoptExistingRole(adoptExistingRole).maxSlotWalKeepSize(maxSlotWalKeepSize)
                    .releaseUpgradeHold(releaseUpgradeHold).build();
            // a name Provision would refuse fails here, not after the reboot
            ProvisioningSpecs.of(request);
            return request;
        } catch (InvalidInputException | CdcEnablerException e) {
            throw new InvalidInputException(withOption(e.getMessage()), e);
        }
    }

    private void requireExtraParametersNamed() {
        for (Map.Entry<String, String> parameter : extraParameters.entrySet()) {
            if (parameter.getKey().isBlank() || parameter.getValue().isBlank()) {
                throw new InvalidInputException("--extra-parameter must be NAME=VALUE, got "
                        + (parameter.getKey().isBlank() ? "no name" : "name '" + parameter.getKey() + "'") + " and "
                        + (parameter.getValue().isBlank() ? "no value" : "value '" + parameter.getValue() + "'"));
            }
        }
    }

    /** The message with the command-line option of the field it names in front, e.g. "--table: tables must ...". */
    private static String withOption(String message) {
        for (Map.Entry<String, String> field : OPTION_OF_FIELD.entrySet()) {
            if (message.startsWith(field.getKey() + " ")) {
                return field.getValue() + ": " + message;
            }
        }
        return message;
    }

    private static Map<String, String> optionOfField() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("instanceIdentifier", "--instance");
        options.put("clusterIdentifier", "--cluster");
        options.put("trackingMode", "--tracking-mode");
        options.put("schemas", "--schema");
        options.put("tables", "--table");
        options.put("table name", "--table");
        options.put("credentialsMode", "--credentials-mode");
        options.put("cdcUser", "--cdc-user");
        options.put("publication", "--publication");
        options.put("adminSecretArn", "--admin-secret-arn");
        options.put("extraParameters", "--extra-parameter");
        options.put("waitSeconds", "--wait-seconds");
        options.put("waitTimeoutMinutes", "--wait-timeout-minutes");
        options.put("maxSlotWalKeepSize", "--max-slot-wal-keep-size");
        return options;
    }
}
