package io.cdcenabler.contract;

import java.util.List;

/**
 * The defaults of an event-started run, for what an RDS event cannot carry: the stack writes them into
 * DescribeTarget's environment unless the deployment says otherwise, and the function falls back to them when a
 * variable is unset.
 */
public final class Defaults {
    /** The tag a database must carry to be provisioned from an event. */
    public static final String OPT_IN_TAG_KEY = "cdc-enabler";
    public static final String OPT_IN_TAG_VALUE = "true";
    /** The only mode an event allows: it names no tables. */
    public static final String TRACKING_MODE = "ALL_TABLES";
    public static final List<String> SCHEMAS = List.of("public");
    public static final String PUBLICATION = "bemi";
    public static final String CDC_USER = "cdc_reader";
    public static final String REBOOT_POLICY = "IMMEDIATE";
    public static final int WAIT_SECONDS = 30;
    public static final int WAIT_TIMEOUT_MINUTES = 120;

    private Defaults() {
    }
}
