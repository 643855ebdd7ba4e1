package io.cdcenabler.contract;

import java.util.List;

/** The Lambda environment variables DescribeTarget reads for event-started runs, which the stack sets. */
public final class EnvironmentVariables {
    public static final String OPT_IN_TAG_KEY = "CDC_OPT_IN_TAG_KEY";
    public static final String OPT_IN_TAG_VALUE = "CDC_OPT_IN_TAG_VALUE";
    public static final String TRACKING_MODE = "CDC_TRACKING_MODE";
    /** Comma-separated schema names. */
    public static final String SCHEMAS = "CDC_SCHEMAS";
    public static final String PUBLICATION = "CDC_PUBLICATION";
    public static final String REBOOT_POLICY = "CDC_REBOOT_POLICY";
    public static final String WAIT_SECONDS = "CDC_WAIT_SECONDS";
    public static final String WAIT_TIMEOUT_MINUTES = "CDC_WAIT_TIMEOUT_MINUTES";
    /** The WAL retention cap of event-started runs: a size ("50GB"), a share ("20%") or "off". */
    public static final String MAX_SLOT_WAL_KEEP_SIZE = "CDC_MAX_SLOT_WAL_KEEP_SIZE";
    /** Every variable above, in the order the stack writes them. */
    public static final List<String> DESCRIBE_TARGET = List.of(OPT_IN_TAG_KEY, OPT_IN_TAG_VALUE, TRACKING_MODE,
            SCHEMAS, PUBLICATION, REBOOT_POLICY, WAIT_SECONDS, WAIT_TIMEOUT_MINUTES, MAX_SLOT_WAL_KEEP_SIZE);
    /** The guardrail SNS topic's ARN, which EnsureAlarms sets as the alarms' actions. */
    public static final String ALARM_TOPIC_ARN = "CDC_ALARM_TOPIC_ARN";

    /** The enrolment registry's DynamoDB table name, which every handler that reads or writes the registry gets. */
    public static final String REGISTRY_TABLE = "CDC_REGISTRY_TABLE";

    private EnvironmentVariables() {
    }
}
