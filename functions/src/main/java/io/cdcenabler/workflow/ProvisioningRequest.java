package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an execution is asked to do, normalised from the console's manual JSON or an EventBridge RDS event. Exactly
 * one of instanceIdentifier and clusterIdentifier is set. Validated on construction; every error names the field.
 * {@code adoptExistingRole} lets cdcUser name an existing role that cdc-enabler did not create (it is then restricted
 * to what a CDC login needs and re-passworded from the CDC secret); without it such a role is refused.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProvisioningRequest(
        String instanceIdentifier,
        String clusterIdentifier,
        String database,
        String trackingMode,
        List<String> schemas,
        List<String> tables,
        String credentialsMode,
        String cdcUser,
        String publication,
        boolean publishViaPartitionRoot,
        RebootPolicy rebootPolicy,
        String adminSecretArn,
        boolean copyParameterGroup,
        Map<String, String> extraParameters,
        Integer waitSeconds,
        Integer waitTimeoutMinutes,
        String source,
        boolean adoptExistingRole) {

    /** Seconds between two status checks while the target reboots or applies parameters. */
    public static final int DEFAULT_WAIT_SECONDS = 30;
    /** How long the status checks may go on before the run fails with a WaitTimeoutException. */
    public static final int DEFAULT_WAIT_TIMEOUT_MINUTES = 120;

    /** A Standard execution fails when its history reaches this many events. */
    public static final int HISTORY_EVENT_LIMIT = 25_000;
    /**
     * Events one status check adds to the history: WaitForStatus (entered, exited), CheckStatus (entered, Lambda
     * scheduled, started, succeeded, exited) and IsReady (entered, exited). DefinitionTest counts them in the ASL.
     */
    public static final int EVENTS_PER_STATUS_CHECK = 9;
    /** Events kept for everything else a run does: the other steps, their retries, the maintenance-window wait. */
    public static final int EVENTS_OUTSIDE_STATUS_LOOP = 1_000;
    /** The most status checks one execution can afford within {@link #HISTORY_EVENT_LIMIT}. */
    public static final int MAX_STATUS_CHECKS = (HISTORY_EVENT_LIMIT - EVENTS_OUTSIDE_STATUS_LOOP)
            / EVENTS_PER_STATUS_CHECK;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,62}");
    private static final Pattern SECRET_ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+");
    private static final Set<String> TRACKING_MODES = Set.of("ALL_TABLES", "SELECTED_TABLES");
    private static final Set<String> CREDENTIALS_MODES = Set.of("READ_ONLY_USER", "MASTER");

    public ProvisioningRequest {
        if ((instanceIdentifier == null) == (clusterIdentifier == null)) {
            throw new InvalidInputException("exactly one of instanceIdentifier and clusterIdentifier must be given, "
                    + "got instanceIdentifier=" + instanceIdentifier + ", clusterIdentifier=" + clusterIdentifier);
        }
        // RDS stores identifiers in lower case and matches them case-insensitively: "Orders-DB" is orders-db, and the
        // CDC secret's name and everything after must not depend on how someone typed it.
        instanceIdentifier = lowerCase(instanceIdentifier);
        clusterIdentifier = lowerCase(clusterIdentifier);
        String identifier = instanceIdentifier != null ? instanceIdentifier : clusterIdentifier;
        if (!IDENTIFIER.matcher(identifier).matches() || identifier.endsWith("-") || identifier.contains("--")) {
            throw new InvalidInputException((instanceIdentifier != null ? "instanceIdentifier" : "clusterIdentifier")
                    + " must be 1-63 letters, digits or hyphens starting with a letter, was " + identifier);
        }
        trackingMode = trackingMode == null ? "ALL_TABLES" : trackingMode.toUpperCase(java.util.Locale.ROOT);
        if (!TRACKING_MODES.contains(trackingMode)) {
            throw new InvalidInputException("trackingMode must be one of " + TRACKING_MODES + ", was " + trackingMode);
        }
        credentialsMode = credentialsMode == null ? "READ_ONLY_USER"
                : credentialsMode.toUpperCase(java.util.Locale.ROOT);
        if (!CREDENTIALS_MODES.contains(credentialsMode)) {
            throw new InvalidInputException("credentialsMode must be one of " + CREDENTIALS_MODES + ", was "
                    + credentialsMode);
        }
        schemas = schemas == null || schemas.isEmpty() ? List.of("public") : List.copyOf(schemas);
        tables = tables == null ? List.of() : List.copyOf(tables);
        if (trackingMode.equals("SELECTED_TABLES") && tables.isEmpty()) {
            throw new InvalidInputException("tables must name at least one table when trackingMode is SELECTED_TABLES");
        }
        if (trackingMode.equals("ALL_TABLES") && !tables.isEmpty()) {
            throw new InvalidInputException("tables must be empty when trackingMode is ALL_TABLES, was " + tables);
        }
        cdcUser = cdcUser == null ? "cdc_reader" : cdcUser;
        publication = publication == null ? "bemi" : publication;
        rebootPolicy = rebootPolicy == null ? RebootPolicy.IMMEDIATE : rebootPolicy;
        if (adminSecretArn != null && !SECRET_ARN.matcher(adminSecretArn).matches()) {
            throw new InvalidInputException("adminSecretArn must be a Secrets Manager secret ARN, was "
                    + adminSecretArn);
        }
        extraParameters = extraParameters == null ? Map.of() : Map.copyOf(extraParameters);
        if (extraParameters.containsKey("rds.logical_replication")) {
            throw new InvalidInputException("extraParameters must not set rds.logical_replication: it is always 1");
        }
        if (extraParameters.size() > 19) {
            throw new InvalidInputException("extraParameters may hold at most 19 parameters (ModifyDBParameterGroup "
                    + "takes 20 per call, one is rds.logical_replication), got " + extraParameters.size());
        }
        waitSeconds = waitSeconds == null ? DEFAULT_WAIT_SECONDS : waitSeconds;
        if (waitSeconds < 5 || waitSeconds > 3600) {
            throw new InvalidInputException("waitSeconds must be between 5 and 3600, was " + waitSeconds);
        }
        waitTimeoutMinutes = waitTimeoutMinutes == null ? DEFAULT_WAIT_TIMEOUT_MINUTES : waitTimeoutMinutes;
        if (waitTimeoutMinutes < 1 || waitTimeoutMinutes > 10080) {
            throw new InvalidInputException("waitTimeoutMinutes must be between 1 and 10080 (one week), was "
                    + waitTimeoutMinutes);
        }
        int checks = statusChecks(waitSeconds, waitTimeoutMinutes);
        if (checks > MAX_STATUS_CHECKS) {
            throw new InvalidInputException("waitTimeoutMinutes=" + waitTimeoutMinutes + " with waitSeconds="
                    + waitSeconds + " means up to " + checks + " status checks, more than the " + MAX_STATUS_CHECKS
                    + " a Step Functions execution's " + HISTORY_EVENT_LIMIT + "-event history can hold; raise "
                    + "waitSeconds to at least " + minimumWaitSeconds(waitTimeoutMinutes)
                    + " or lower waitTimeoutMinutes");
        }
        source = source == null ? "MANUAL" : source;
    }

    /** How many status checks fit in {@code waitTimeoutMinutes} at one every {@code waitSeconds} (at least one). */
    public static int statusChecks(int waitSeconds, int waitTimeoutMinutes) {
        return Math.max(1, (waitTimeoutMinutes * 60 + waitSeconds - 1) / waitSeconds);
    }

    /** The shortest waitSeconds whose status checks over {@code waitTimeoutMinutes} fit the execution history. */
    public static int minimumWaitSeconds(int waitTimeoutMinutes) {
        int seconds = 1;
        while (statusChecks(seconds, waitTimeoutMinutes) > MAX_STATUS_CHECKS) {
            seconds++;
        }
        return seconds;
    }

    private static String lowerCase(String identifier) {
        return identifier == null ? null : identifier.toLowerCase(java.util.Locale.ROOT);
    }

    /** The identifier of the instance or cluster, whichever was given. */
    public String identifier() {
        return instanceIdentifier != null ? instanceIdentifier : clusterIdentifier;
    }

    /** How many status checks fit in waitTimeoutMinutes at one every waitSeconds (at least one). */
    public int maxStatusChecks() {
        return statusChecks(waitSeconds, waitTimeoutMinutes);
    }

    public boolean isCluster() {
        return clusterIdentifier != null;
    }
}
