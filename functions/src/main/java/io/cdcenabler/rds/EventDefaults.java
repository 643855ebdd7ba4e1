package io.cdcenabler.rds;

import io.cdcenabler.contract.EnvironmentVariables;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.RebootPolicy;
import io.cdcenabler.workflow.RequestDefaults;
import io.cdcenabler.workflow.RequestTrackingMode;
import io.cdcenabler.workflow.SlotWalCap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options an EventBridge RDS event cannot carry, and the opt-in tag every target must wear. The handler builds
 * it from its environment ({@link #fromEnvironment}); the core never reads the environment itself.
 *
 * @param optInTagKey the tag key a DB instance or cluster must carry to be provisioned; blank disables the check
 * @param optInTagValue the value that tag must have (case-insensitive)
 * @param waitSeconds seconds between status checks (CDC_WAIT_SECONDS); null takes {@link RequestDefaults#WAIT_SECONDS}
 * @param waitTimeoutMinutes how long status checks may go on (CDC_WAIT_TIMEOUT_MINUTES); null takes
 *     {@link RequestDefaults#WAIT_TIMEOUT_MINUTES}
 * @param maxSlotWalKeepSize the WAL retention cap (CDC_MAX_SLOT_WAL_KEEP_SIZE, {@link SlotWalCap}'s forms); null
 *     takes {@link RequestDefaults#MAX_SLOT_WAL_KEEP_SIZE}
 */
public record EventDefaults(String optInTagKey, String optInTagValue, String trackingMode, List<String> schemas,
                            String publication, RebootPolicy rebootPolicy, Integer waitSeconds,
                            Integer waitTimeoutMinutes, String maxSlotWalKeepSize) {

    public static final String OPT_IN_TAG_KEY = EnvironmentVariables.OPT_IN_TAG_KEY;
    public static final String OPT_IN_TAG_VALUE = EnvironmentVariables.OPT_IN_TAG_VALUE;
    public static final String TRACKING_MODE = EnvironmentVariables.TRACKING_MODE;
    public static final String SCHEMAS = EnvironmentVariables.SCHEMAS;
    public static final String PUBLICATION = EnvironmentVariables.PUBLICATION;
    public static final String REBOOT_POLICY = EnvironmentVariables.REBOOT_POLICY;
    public static final String WAIT_SECONDS = EnvironmentVariables.WAIT_SECONDS;
    public static final String WAIT_TIMEOUT_MINUTES = EnvironmentVariables.WAIT_TIMEOUT_MINUTES;
    public static final String MAX_SLOT_WAL_KEEP_SIZE = EnvironmentVariables.MAX_SLOT_WAL_KEEP_SIZE;

    public EventDefaults {
        optInTagValue = optInTagValue == null || optInTagValue.isBlank() ? RequestDefaults.OPT_IN_TAG_VALUE
                : optInTagValue;
        trackingMode = trackingMode == null || trackingMode.isBlank() ? RequestDefaults.TRACKING_MODE.name()
                : trackingMode.trim().toUpperCase(Locale.ROOT);
        if (!trackingMode.equals(RequestTrackingMode.ALL_TABLES.name())) {
            throw new InvalidInputException(TRACKING_MODE + " must be ALL_TABLES (an event names no tables), was "
                    + trackingMode);
        }
        schemas = schemas == null || schemas.isEmpty() ? RequestDefaults.SCHEMAS : List.copyOf(schemas);
        publication = publication == null || publication.isBlank() ? RequestDefaults.PUBLICATION : publication;
        rebootPolicy = rebootPolicy == null ? RequestDefaults.REBOOT_POLICY : rebootPolicy;
        maxSlotWalKeepSize = SlotWalCap.normalise(MAX_SLOT_WAL_KEEP_SIZE, maxSlotWalKeepSize == null
                || maxSlotWalKeepSize.isBlank() ? RequestDefaults.MAX_SLOT_WAL_KEEP_SIZE : maxSlotWalKeepSize);
    }

    /** Reads the CDC_* variables of {@code environment}; unset ones take the defaults (opt-in tag cdc-enabler=true). */
    public static EventDefaults fromEnvironment(Map<String, String> environment) {
        String policy = environment.get(REBOOT_POLICY);
        RebootPolicy rebootPolicy = null;
        if (policy != null && !policy.isBlank()) {
            try {
                rebootPolicy = RebootPolicy.valueOf(policy.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(REBOOT_POLICY + " must be one of "
                        + Arrays.toString(RebootPolicy.values()) + ", was " + policy);
            }
        }
        String schemas = environment.get(SCHEMAS);
        return new EventDefaults(
                environment.getOrDefault(OPT_IN_TAG_KEY, RequestDefaults.OPT_IN_TAG_KEY),
                environment.get(OPT_IN_TAG_VALUE),
                environment.get(TRACKING_MODE),
                schemas == null || schemas.isBlank() ? null
                        : Arrays.stream(schemas.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
                environment.get(PUBLICATION),
                rebootPolicy,
                integer(environment, WAIT_SECONDS),
                integer(environment, WAIT_TIMEOUT_MINUTES),
                environment.get(MAX_SLOT_WAL_KEEP_SIZE));
    }

    private static Integer integer(Map<String, String> environment, String name) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(name + " must be a whole number, was " + value);
        }
    }

    /** Whether an opt-in tag is required at all. */
    public boolean optInRequired() {
        return optInTagKey != null && !optInTagKey.isBlank();
    }
}
