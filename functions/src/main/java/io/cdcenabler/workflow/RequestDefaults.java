package io.cdcenabler.workflow;

import io.cdcenabler.contract.Defaults;
import java.util.List;

/**
 * The request's defaults, typed: the values are the contract module's {@link Defaults} (shared with infra); what an execution does for every option the console's JSON,
 * an EventBridge event, the command line or the engine's spec leaves out. {@link ProvisioningRequest} applies them;
 * the event defaults, the CLI's help texts and the engine's {@code ProvisioningSpec} builder read them from here.
 */
public final class RequestDefaults {
    /** Track every table of the tracked schemas (the name, for annotations). */
    public static final String TRACKING_MODE_NAME = Defaults.TRACKING_MODE;
    /** {@link #TRACKING_MODE_NAME} as the request's mode. */
    public static final RequestTrackingMode TRACKING_MODE = RequestTrackingMode.valueOf(TRACKING_MODE_NAME);
    /** The schema tracked when none is named. */
    public static final String SCHEMA = Defaults.SCHEMA;
    /** {@link #SCHEMA} as the request's schema list. */
    public static final List<String> SCHEMAS = Defaults.SCHEMAS;
    /** A dedicated read-only CDC login role (the name, for annotations). */
    public static final String CREDENTIALS_MODE_NAME = Defaults.CREDENTIALS_MODE;
    /** {@link #CREDENTIALS_MODE_NAME} as the request's mode. */
    public static final RequestCredentialsMode CREDENTIALS_MODE = RequestCredentialsMode.valueOf(CREDENTIALS_MODE_NAME);
    /** The CDC login role's name for READ_ONLY_USER. */
    public static final String CDC_USER = Defaults.CDC_USER;
    /** The publication's name (Bemi's default). */
    public static final String PUBLICATION = Defaults.PUBLICATION;
    /** Reboot the writer once, at once (the name, for annotations). */
    public static final String REBOOT_POLICY_NAME = Defaults.REBOOT_POLICY;
    /** {@link #REBOOT_POLICY_NAME} as the request's policy. */
    public static final RebootPolicy REBOOT_POLICY = RebootPolicy.valueOf(REBOOT_POLICY_NAME);
    /** Seconds between two status checks while the target reboots or applies parameters. */
    public static final int WAIT_SECONDS = Defaults.WAIT_SECONDS;
    /** How long the status checks may go on before the run fails with a WaitTimeoutException. */
    public static final int WAIT_TIMEOUT_MINUTES = Defaults.WAIT_TIMEOUT_MINUTES;
    /** The WAL retention cap when a request names none ({@link SlotWalCap}'s forms). */
    public static final String MAX_SLOT_WAL_KEEP_SIZE = Defaults.MAX_SLOT_WAL_KEEP_SIZE;
    /** Where a request came from when it does not say: the console's manual JSON. */
    public static final String SOURCE = Defaults.SOURCE;
    /** The tag key a target must carry to be provisioned from an event. */
    public static final String OPT_IN_TAG_KEY = Defaults.OPT_IN_TAG_KEY;
    /** The value that tag must have (case-insensitive). */
    public static final String OPT_IN_TAG_VALUE = Defaults.OPT_IN_TAG_VALUE;

    private RequestDefaults() {
    }
}
