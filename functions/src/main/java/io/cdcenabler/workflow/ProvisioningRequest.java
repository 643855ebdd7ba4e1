package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an execution is asked to do, normalised from the console's manual JSON or an EventBridge RDS event. Exactly
 * one of instanceIdentifier and clusterIdentifier is set. Validated on construction; every error names the field.
 * Options left out take {@link RequestDefaults}. Code builds one with {@link #builder()}; Jackson reads the JSON
 * through the canonical constructor, with trackingMode and credentialsMode in any case.
 * {@code adoptExistingRole} lets cdcUser name an existing role that cdc-enabler did not create (it is then restricted
 * to what a CDC login needs and re-passworded from the CDC secret); without it such a role is refused.
 * {@code releaseUpgradeHold} brings back the event trigger prepare-upgrade holds for an upgrade the server has not had
 * (after RDS rolled it back, or when the upgrade is called off); it is never recorded with the enrolment.
 * {@code maxSlotWalKeepSize} ({@link SlotWalCap}) stays null when left out: DescribeTarget applies
 * {@link RequestDefaults#MAX_SLOT_WAL_KEEP_SIZE} and turns a share into a size for the target.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProvisioningRequest(
        String instanceIdentifier,
        String clusterIdentifier,
        String database,
        RequestTrackingMode trackingMode,
        List<String> schemas,
        List<String> tables,
        RequestCredentialsMode credentialsMode,
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
        boolean adoptExistingRole,
        String maxSlotWalKeepSize,
        boolean releaseUpgradeHold) {

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
    /** ModifyDBParameterGroup takes 20 parameters per call, and one of them is rds.logical_replication. */
    private static final int MAX_EXTRA_PARAMETERS = 19;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,62}");
    private static final Pattern SECRET_ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+");

    public ProvisioningRequest {
        if ((instanceIdentifier == null) == (clusterIdentifier == null)) {
            throw new InvalidInputException("exactly one of instanceIdentifier and clusterIdentifier must be given, "
                    + "got instanceIdentifier=" + instanceIdentifier + ", clusterIdentifier=" + clusterIdentifier);
        }
        instanceIdentifier = rdsIdentifier("instanceIdentifier", instanceIdentifier);
        clusterIdentifier = rdsIdentifier("clusterIdentifier", clusterIdentifier);
        trackingMode = Objects.requireNonNullElse(trackingMode, RequestDefaults.TRACKING_MODE);
        schemas = schemas == null || schemas.isEmpty() ? RequestDefaults.SCHEMAS : List.copyOf(schemas);
        tables = tables == null ? List.of() : List.copyOf(tables);
        requireTablesFitMode(trackingMode, tables);
        credentialsMode = Objects.requireNonNullElse(credentialsMode, RequestDefaults.CREDENTIALS_MODE);
        cdcUser = Objects.requireNonNullElse(cdcUser, RequestDefaults.CDC_USER);
        publication = Objects.requireNonNullElse(publication, RequestDefaults.PUBLICATION);
        rebootPolicy = Objects.requireNonNullElse(rebootPolicy, RequestDefaults.REBOOT_POLICY);
        if (adminSecretArn != null && !SECRET_ARN.matcher(adminSecretArn).matches()) {
            throw new InvalidInputException("adminSecretArn must be a Secrets Manager secret ARN, was "
                    + adminSecretArn);
        }
        extraParameters = extraParameters(extraParameters);
        waitSeconds = Objects.requireNonNullElse(waitSeconds, RequestDefaults.WAIT_SECONDS);
        waitTimeoutMinutes = Objects.requireNonNullElse(waitTimeoutMinutes, RequestDefaults.WAIT_TIMEOUT_MINUTES);
        requireWaitsFitHistory(waitSeconds, waitTimeoutMinutes);
        source = Objects.requireNonNullElse(source, RequestDefaults.SOURCE);
        maxSlotWalKeepSize = SlotWalCap.normalise(SlotWalCap.FIELD, maxSlotWalKeepSize);
    }

    /** A builder with every option unset, so {@link #build} applies {@link RequestDefaults}. */
    public static ProvisioningRequestBuilder builder() {
        return new ProvisioningRequestBuilder();
    }

    /** A builder holding this request's values, to build a changed copy. */
    public ProvisioningRequestBuilder toBuilder() {
        return new ProvisioningRequestBuilder(this);
    }

    /**
     * RDS stores identifiers in lower case and matches them case-insensitively: "Orders-DB" is orders-db, and the CDC
     * secret's name and everything after must not depend on how someone typed it.
     */
    private static String rdsIdentifier(String field, String identifier) {
        if (identifier == null) {
            return null;
        }
        String lower = identifier.toLowerCase(Locale.ROOT);
        if (!IDENTIFIER.matcher(lower).matches() || lower.endsWith("-") || lower.contains("--")) {
            throw new InvalidInputException(field + " must be 1-63 letters, digits or hyphens starting with a letter, "
                    + "was " + lower);
        }
        return lower;
    }

    private static void requireTablesFitMode(RequestTrackingMode trackingMode, List<String> tables) {
        if (trackingMode == RequestTrackingMode.SELECTED_TABLES && tables.isEmpty()) {
            throw new InvalidInputException("tables must name at least one table when trackingMode is SELECTED_TABLES");
        }
        if (trackingMode == RequestTrackingMode.ALL_TABLES && !tables.isEmpty()) {
            throw new InvalidInputException("tables must be empty when trackingMode is ALL_TABLES, was " + tables);
        }
    }

    private static Map<String, String> extraParameters(Map<String, String> extraParameters) {
        Map<String, String> parameters = extraParameters == null ? Map.of() : Map.copyOf(extraParameters);
        if (parameters.containsKey("rds.logical_replication")) {
            throw new InvalidInputException("extraParameters must not set rds.logical_replication: it is always 1");
        }
        if (parameters.containsKey(SlotWalCap.PARAMETER)) {
            throw new InvalidInputException("extraParameters must not set " + SlotWalCap.PARAMETER + ": give "
                    + SlotWalCap.FIELD + " instead");
        }
        if (parameters.size() > MAX_EXTRA_PARAMETERS) {
            throw new InvalidInputException("extraParameters may hold at most 19 parameters (ModifyDBParameterGroup "
                    + "takes 20 per call, one is rds.logical_replication), got " + parameters.size());
        }
        return parameters;
    }

    private static void requireWaitsFitHistory(int waitSeconds, int waitTimeoutMinutes) {
        if (waitSeconds < 5 || waitSeconds > 3600) {
            throw new InvalidInputException("waitSeconds must be between 5 and 3600, was " + waitSeconds);
        }
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
