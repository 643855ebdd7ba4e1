package io.cdcenabler.contract;

import java.util.List;

/**
 * The product's defaults, in one place for functions and infra: what a run does for every option the console's
 * JSON, an RDS event, the command line or the engine's spec leaves out. The stack writes the event ones into
 * DescribeTarget's environment unless the deployment says otherwise; functions' RequestDefaults types them.
 */
public final class Defaults {
    /** The tag a database must carry to be provisioned from an event. */
    public static final String OPT_IN_TAG_KEY = "cdc-enabler";
    public static final String OPT_IN_TAG_VALUE = "true";
    /** The only mode an event allows: it names no tables. */
    public static final String TRACKING_MODE = "ALL_TABLES";
    /** The schema tracked when none is named. */
    public static final String SCHEMA = "public";
    public static final List<String> SCHEMAS = List.of(SCHEMA);
    /** A dedicated read-only CDC login role. */
    public static final String CREDENTIALS_MODE = "READ_ONLY_USER";
    public static final String PUBLICATION = "bemi";
    public static final String CDC_USER = "cdc_reader";
    public static final String REBOOT_POLICY = "IMMEDIATE";
    public static final int WAIT_SECONDS = 30;
    public static final int WAIT_TIMEOUT_MINUTES = 120;
    /**
     * The most WAL replication slots may retain (max_slot_wal_keep_size) on a DB instance or Multi-AZ DB cluster, as a
     * share of its allocated storage: a stopped consumer then loses its slot (and must re-snapshot) instead of
     * filling the disk, which would stop the database. Aurora's storage grows on its own: a share leaves its cap
     * alone (give a size to cap it).
     */
    public static final String MAX_SLOT_WAL_KEEP_SIZE = "20%";
    /** Where a request came from when it does not say: the console's manual JSON. */
    public static final String SOURCE = "MANUAL";

    private Defaults() {
    }
}
