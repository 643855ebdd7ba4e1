package io.cdcenabler.infra;

import io.cdcenabler.contract.Defaults;
import io.cdcenabler.contract.ExecutionHistory;
import io.cdcenabler.contract.RetentionCapForms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.logs.RetentionDays;

/**
 * Everything the stack can be told, read once from CDK context by {@link #fromContext} and validated here, so that
 * constructs never read context, files or the environment themselves. Every error names the context key, what it
 * expects and what it got.
 *
 * @param vpcId the VPC of the database, where Provision and Verify run
 * @param subnetIds private subnets of that VPC for Provision and Verify (routes to the database and Secrets Manager)
 * @param securityGroupId the security group of Provision and Verify; the database's group must admit it on 5432
 * @param availabilityZones the VPC's availability zones, only for {@code Vpc.fromVpcAttributes}; may be empty
 * @param optInTagKey the tag an instance or cluster must carry for events to provision it; empty disables the check
 * @param optInTagValue the value that tag must have
 * @param trackingMode the tracking mode for event-started runs: only ALL_TABLES (an event names no tables)
 * @param schemas the schemas event-started runs cover
 * @param publication the publication event-started runs create
 * @param rebootPolicy IMMEDIATE, NEXT_MAINTENANCE_WINDOW or NONE for event-started runs
 * @param waitSeconds seconds between status checks of event-started runs
 * @param waitTimeoutMinutes how long event-started runs wait for the database to become available
 * @param lambdaJar the jar with every handler (the functions module's {@code cdc-enabler-lambda.jar})
 * @param logRetentionDays how long the Lambda and state machine logs are kept; a value CloudWatch Logs accepts
 * @param adminSecretArns secrets besides the RDS-managed master secrets that the steps may read as admin login
 * @param secretKmsKeyArns customer managed KMS keys that encrypt those secrets or the master secrets
 * @param region the Region to deploy to, or null for an environment-agnostic stack (the CLI's profile decides)
 * @param maxSlotWalKeepSize the WAL retention cap of event-started runs ({@link RetentionCapForms}), normalised
 */
public record CdcEnablerConfig(
        String vpcId,
        List<String> subnetIds,
        String securityGroupId,
        List<String> availabilityZones,
        String optInTagKey,
        String optInTagValue,
        String trackingMode,
        List<String> schemas,
        String publication,
        String rebootPolicy,
        int waitSeconds,
        int waitTimeoutMinutes,
        Path lambdaJar,
        int logRetentionDays,
        List<String> adminSecretArns,
        List<String> secretKmsKeyArns,
        String region,
        String maxSlotWalKeepSize) {

    public static final String VPC_ID = "vpcId";
    public static final String SUBNET_IDS = "subnetIds";
    public static final String SECURITY_GROUP_ID = "securityGroupId";
    public static final String AVAILABILITY_ZONES = "availabilityZones";
    public static final String OPT_IN_TAG_KEY = "optInTagKey";
    public static final String OPT_IN_TAG_VALUE = "optInTagValue";
    public static final String TRACKING_MODE = "trackingMode";
    public static final String SCHEMAS = "schemas";
    public static final String PUBLICATION = "publication";
    public static final String REBOOT_POLICY = "rebootPolicy";
    public static final String WAIT_SECONDS = "waitSeconds";
    public static final String WAIT_TIMEOUT_MINUTES = "waitTimeoutMinutes";
    public static final String LAMBDA_JAR = "lambdaJar";
    public static final String LOG_RETENTION_DAYS = "logRetentionDays";
    public static final String ADMIN_SECRET_ARNS = "adminSecretArns";
    public static final String SECRET_KMS_KEY_ARNS = "secretKmsKeyArns";
    public static final String REGION = "region";
    public static final String MAX_SLOT_WAL_KEEP_SIZE = "maxSlotWalKeepSize";

    /**
     * Regions where Lambda SnapStart (which every function uses) is not available: the Lambda Developer Guide's
     * SnapStart page says it is available in all commercial Regions except Asia Pacific (New Zealand) and Asia
     * Pacific (Taipei).
     */
    public static final List<String> REGIONS_WITHOUT_SNAPSTART = List.of("ap-southeast-6", "ap-east-2");
    /** The most status checks that fit in an execution's history (the contract's rule, shared with the functions). */
    static final int MAX_STATUS_CHECKS = ExecutionHistory.MAX_STATUS_CHECKS;
    private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

    /** The required keys, in the order the error message lists them. */
    public static final List<String> REQUIRED = List.of(VPC_ID, SUBNET_IDS, SECURITY_GROUP_ID);

    public static final String DEFAULT_OPT_IN_TAG_KEY = Defaults.OPT_IN_TAG_KEY;
    public static final String DEFAULT_OPT_IN_TAG_VALUE = Defaults.OPT_IN_TAG_VALUE;
    public static final String DEFAULT_TRACKING_MODE = Defaults.TRACKING_MODE;
    public static final List<String> DEFAULT_SCHEMAS = Defaults.SCHEMAS;
    public static final String DEFAULT_PUBLICATION = Defaults.PUBLICATION;
    public static final String DEFAULT_REBOOT_POLICY = Defaults.REBOOT_POLICY;
    public static final int DEFAULT_WAIT_SECONDS = Defaults.WAIT_SECONDS;
    public static final int DEFAULT_WAIT_TIMEOUT_MINUTES = Defaults.WAIT_TIMEOUT_MINUTES;
    /** Relative to infra/, where the cdk CLI runs: the functions module's package phase builds it. */
    public static final String DEFAULT_LAMBDA_JAR = "../functions/target/cdc-enabler-lambda.jar";
    public static final int DEFAULT_LOG_RETENTION_DAYS = 90;
    public static final String DEFAULT_MAX_SLOT_WAL_KEEP_SIZE = Defaults.MAX_SLOT_WAL_KEEP_SIZE;

    static final String EXAMPLE = "cdk deploy -c vpcId=vpc-0123456789abcdef0"
            + " -c subnetIds=subnet-0123456789abcdef0,subnet-0fedcba9876543210 -c securityGroupId=sg-0123456789abcdef0";

    private static final Set<String> REBOOT_POLICIES = Set.of("IMMEDIATE", "NEXT_MAINTENANCE_WINDOW", "NONE");
    private static final Pattern VPC = Pattern.compile("vpc-[0-9a-f]{8,17}");
    private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern AVAILABILITY_ZONE = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d[a-z]");
    private static final Pattern SECRET_ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+");
    private static final Pattern KMS_KEY_ARN = Pattern.compile("arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+");
    private static final Pattern SCHEMA = Pattern.compile("[^,\\s][^,]*");
    private static final Pattern PUBLICATION_NAME = Pattern.compile("[a-z_][a-z0-9_$]{0,62}");
    private static final Map<Integer, RetentionDays> RETENTIONS = retentions();

    public CdcEnablerConfig {
        require(VPC_ID, vpcId, "a VPC ID like vpc-0123456789abcdef0", v -> VPC.matcher(v).matches());
        subnetIds = List.copyOf(Objects.requireNonNull(subnetIds, SUBNET_IDS));
        if (subnetIds.isEmpty() || !subnetIds.stream().allMatch(s -> SUBNET.matcher(s).matches())) {
            throw invalid(SUBNET_IDS, "one or more subnet IDs like subnet-0123456789abcdef0", subnetIds);
        }
        require(SECURITY_GROUP_ID, securityGroupId, "a security group ID like sg-0123456789abcdef0",
                v -> SECURITY_GROUP.matcher(v).matches());
        availabilityZones = List.copyOf(Objects.requireNonNull(availabilityZones, AVAILABILITY_ZONES));
        if (!availabilityZones.stream().allMatch(z -> AVAILABILITY_ZONE.matcher(z).matches())) {
            throw invalid(AVAILABILITY_ZONES, "availability zone names like eu-west-1a", availabilityZones);
        }
        Objects.requireNonNull(optInTagKey, OPT_IN_TAG_KEY);
        require(OPT_IN_TAG_VALUE, optInTagValue, "a non-blank tag value", v -> !v.isBlank());
        require(TRACKING_MODE, trackingMode, DEFAULT_TRACKING_MODE + " (an RDS event names no tables)",
                DEFAULT_TRACKING_MODE::equals);
        schemas = List.copyOf(Objects.requireNonNull(schemas, SCHEMAS));
        if (schemas.isEmpty() || !schemas.stream().allMatch(s -> SCHEMA.matcher(s).matches())) {
            throw invalid(SCHEMAS, "one or more schema names, comma-separated", schemas);
        }
        require(PUBLICATION, publication, "a PostgreSQL identifier like bemi (lower case, digits, _)",
                v -> PUBLICATION_NAME.matcher(v).matches());
        require(REBOOT_POLICY, rebootPolicy, "one of IMMEDIATE, NEXT_MAINTENANCE_WINDOW, NONE",
                REBOOT_POLICIES::contains);
        if (waitSeconds < 5 || waitSeconds > 3600) {
            throw invalid(WAIT_SECONDS, "a whole number of seconds between 5 and 3600", waitSeconds);
        }
        if (waitTimeoutMinutes < 1 || waitTimeoutMinutes > 10080) {
            throw invalid(WAIT_TIMEOUT_MINUTES, "a whole number of minutes between 1 and 10080 (one week)",
                    waitTimeoutMinutes);
        }
        int checks = Math.max(1, (waitTimeoutMinutes * 60 + waitSeconds - 1) / waitSeconds);
        if (checks > MAX_STATUS_CHECKS) {
            throw new InvalidContextException("CDK context " + WAIT_TIMEOUT_MINUTES + "=" + waitTimeoutMinutes
                    + " with " + WAIT_SECONDS + "=" + waitSeconds + " means up to " + checks + " status checks, "
                    + "more than the " + MAX_STATUS_CHECKS + " a Step Functions execution's "
                    + ExecutionHistory.HISTORY_EVENT_LIMIT + "-event history can "
                    + "hold; raise " + WAIT_SECONDS + " or lower " + WAIT_TIMEOUT_MINUTES);
        }
        if (region != null) {
            require(REGION, region, "a Region name like eu-west-1", v -> REGION_NAME.matcher(v).matches());
            if (REGIONS_WITHOUT_SNAPSTART.contains(region)) {
                throw new InvalidContextException("CDK context " + REGION + " is " + region + ", where Lambda "
                        + "SnapStart is not available; the functions need it (the Lambda Developer Guide lists it in "
                        + "every commercial Region except " + REGIONS_WITHOUT_SNAPSTART + "): deploy to another "
                        + "Region");
            }
        }
        Objects.requireNonNull(lambdaJar, LAMBDA_JAR);
        if (!Files.isRegularFile(lambdaJar)) {
            throw invalid(LAMBDA_JAR, "the Lambda jar (build it with `mvn -pl functions -am package -DskipTests` "
                    + "from the repository root, or pass -c lambdaJar=<path>), but there is no file at "
                    + lambdaJar.toAbsolutePath().normalize(), lambdaJar);
        }
        if (!RETENTIONS.containsKey(logRetentionDays)) {
            throw invalid(LOG_RETENTION_DAYS, "a retention CloudWatch Logs accepts: " + RETENTIONS.keySet(),
                    logRetentionDays);
        }
        adminSecretArns = List.copyOf(Objects.requireNonNull(adminSecretArns, ADMIN_SECRET_ARNS));
        if (!adminSecretArns.stream().allMatch(a -> SECRET_ARN.matcher(a).matches())) {
            throw invalid(ADMIN_SECRET_ARNS, "Secrets Manager secret ARNs "
                    + "(arn:aws:secretsmanager:<region>:<account>:secret:<name>)", adminSecretArns);
        }
        secretKmsKeyArns = List.copyOf(Objects.requireNonNull(secretKmsKeyArns, SECRET_KMS_KEY_ARNS));
        if (!secretKmsKeyArns.stream().allMatch(a -> KMS_KEY_ARN.matcher(a).matches())) {
            throw invalid(SECRET_KMS_KEY_ARNS, "KMS key ARNs (arn:aws:kms:<region>:<account>:key/<key id>)",
                    secretKmsKeyArns);
        }
        maxSlotWalKeepSize = retentionCap(maxSlotWalKeepSize);
    }

    /** The cap in its one spelling; a share applies to instances and Multi-AZ DB clusters, not to Aurora. */
    private static String retentionCap(String value) {
        String normalised = value == null ? null : RetentionCapForms.normalisedOrNull(value);
        if (normalised == null) {
            throw invalid(MAX_SLOT_WAL_KEEP_SIZE, RetentionCapForms.FORMS, value);
        }
        return normalised;
    }

    /**
     * Reads and validates the configuration from CDK context ({@code -c key=value} or cdk.json). Lists may be JSON
     * arrays (cdk.json) or comma-separated strings (command line). Missing required keys are all named at once.
     */
    public static CdcEnablerConfig fromContext(Function<String, Object> context) {
        List<String> missing = REQUIRED.stream().filter(key -> isAbsent(context.apply(key))).toList();
        if (!missing.isEmpty()) {
            throw new InvalidContextException("missing CDK context " + String.join(", ", missing)
                    + ": the Lambdas that connect to the database run in its VPC and need them. Example: " + EXAMPLE
                    + " (see infra/README.md for every key)");
        }
        return new CdcEnablerConfig(
                string(context, VPC_ID, null),
                list(context, SUBNET_IDS, List.of()),
                string(context, SECURITY_GROUP_ID, null),
                list(context, AVAILABILITY_ZONES, List.of()),
                string(context, OPT_IN_TAG_KEY, DEFAULT_OPT_IN_TAG_KEY),
                string(context, OPT_IN_TAG_VALUE, DEFAULT_OPT_IN_TAG_VALUE),
                upper(string(context, TRACKING_MODE, DEFAULT_TRACKING_MODE)),
                list(context, SCHEMAS, DEFAULT_SCHEMAS),
                string(context, PUBLICATION, DEFAULT_PUBLICATION),
                upper(string(context, REBOOT_POLICY, DEFAULT_REBOOT_POLICY)),
                integer(context, WAIT_SECONDS, DEFAULT_WAIT_SECONDS),
                integer(context, WAIT_TIMEOUT_MINUTES, DEFAULT_WAIT_TIMEOUT_MINUTES),
                Path.of(string(context, LAMBDA_JAR, DEFAULT_LAMBDA_JAR)),
                integer(context, LOG_RETENTION_DAYS, DEFAULT_LOG_RETENTION_DAYS),
                list(context, ADMIN_SECRET_ARNS, List.of()),
                list(context, SECRET_KMS_KEY_ARNS, List.of()),
                emptyToNull(string(context, REGION, null)),
                string(context, MAX_SLOT_WAL_KEEP_SIZE, DEFAULT_MAX_SLOT_WAL_KEEP_SIZE));
    }

    /** {@link #logRetentionDays} as the CDK enum. */
    public RetentionDays logRetention() {
        return RETENTIONS.get(logRetentionDays);
    }

    private static boolean isAbsent(Object value) {
        return value == null || value instanceof String s && s.isBlank()
                || value instanceof List<?> l && l.isEmpty();
    }

    private static String string(Function<String, Object> context, String key, String fallback) {
        Object value = context.apply(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof String s) {
            return s.trim();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return wholeNumberText(value);
        }
        throw invalid(key, "a string", value);
    }

    private static List<String> list(Function<String, Object> context, String key, List<String> fallback) {
        Object value = context.apply(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof List<?> items) {
            List<String> values = new ArrayList<>();
            for (Object item : items) {
                if (!(item instanceof String s)) {
                    throw invalid(key, "a list of strings", value);
                }
                values.add(s.trim());
            }
            return values;
        }
        if (value instanceof String s) {
            return s.isBlank() ? fallback
                    : Arrays.stream(s.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        }
        throw invalid(key, "a comma-separated string or a list of strings", value);
    }

    private static int integer(Function<String, Object> context, String key, int fallback) {
        Object value = context.apply(key);
        if (value == null || value instanceof String s && s.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(wholeNumberText(value).trim());
        } catch (NumberFormatException e) {
            throw invalid(key, "a whole number", value);
        }
    }

    /** JSON numbers from cdk.json may arrive as doubles: 30.0 is the whole number 30. */
    private static String wholeNumberText(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
            return Long.toString(d.longValue());
        }
        return value.toString();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String upper(String value) {
        return value == null ? null : value.toUpperCase(Locale.ROOT);
    }

    private static void require(String key, String value, String expected,
                                Predicate<String> valid) {
        if (value == null || !valid.test(value)) {
            throw invalid(key, expected, value);
        }
    }

    private static InvalidContextException invalid(String key, String expected, Object actual) {
        return new InvalidContextException("CDK context " + key + " must be " + expected + ", was "
                + (actual instanceof String s ? "\"" + s + "\"" : actual));
    }

    private static Map<Integer, RetentionDays> retentions() {
        Map<Integer, RetentionDays> byDays = new TreeMap<>();
        int[] days = {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
                3288, 3653};
        RetentionDays[] values = {RetentionDays.ONE_DAY, RetentionDays.THREE_DAYS, RetentionDays.FIVE_DAYS,
                RetentionDays.ONE_WEEK, RetentionDays.TWO_WEEKS, RetentionDays.ONE_MONTH, RetentionDays.TWO_MONTHS,
                RetentionDays.THREE_MONTHS, RetentionDays.FOUR_MONTHS, RetentionDays.FIVE_MONTHS,
                RetentionDays.SIX_MONTHS, RetentionDays.ONE_YEAR, RetentionDays.THIRTEEN_MONTHS,
                RetentionDays.EIGHTEEN_MONTHS, RetentionDays.TWO_YEARS, RetentionDays.THREE_YEARS,
                RetentionDays.FIVE_YEARS, RetentionDays.SIX_YEARS, RetentionDays.SEVEN_YEARS,
                RetentionDays.EIGHT_YEARS, RetentionDays.NINE_YEARS, RetentionDays.TEN_YEARS};
        for (int i = 0; i < days.length; i++) {
            byDays.put(days[i], values[i]);
        }
        return Collections.unmodifiableMap(byDays);
    }
}
