package io.cdcenabler.alarms;

import java.util.Map;

/**
 * The names and tags of the guardrail alarms: {@code cdc-enabler/instance/<identifier>/<metric>} and
 * {@code cdc-enabler/cluster/<identifier>/<metric>}. A slash cannot occur in an RDS identifier, so the prefix of one
 * target never matches another target's alarms ({@code db-1/} is not a prefix of {@code db-10/...}), and an instance
 * and a cluster of the same identifier keep apart.
 */
public final class AlarmNames {
    /** Every alarm cdc-enabler manages starts with this (IAM can scope alarm actions to {@code alarm:cdc-enabler/*}). */
    public static final String PREFIX = "cdc-enabler/";
    /** The tag every alarm of ours carries, with {@link #MANAGED_BY_VALUE}; only alarms so tagged are changed. */
    public static final String MANAGED_BY_KEY = "managed-by";
    public static final String MANAGED_BY_VALUE = "cdc-enabler";
    /** The tag naming the target ({@code instance/<identifier>} or {@code cluster/<identifier>}). */
    public static final String TARGET_KEY = "cdc-enabler:target";

    private AlarmNames() {
    }

    /** The prefix of all alarms of {@code target}, ending in a slash. */
    public static String prefixOf(AlarmTarget target) {
        return PREFIX + targetTag(target) + "/";
    }

    /** The alarm name of {@code metric} for {@code target}. */
    public static String nameOf(AlarmTarget target, GuardrailMetric metric) {
        return prefixOf(target) + metric.metricName();
    }

    /** The tags a new alarm of {@code target} is created with. */
    public static Map<String, String> tagsOf(AlarmTarget target) {
        return Map.of(MANAGED_BY_KEY, MANAGED_BY_VALUE, TARGET_KEY, targetTag(target));
    }

    /** True when {@code tags} mark an alarm as ours. */
    static boolean isManaged(Map<String, String> tags) {
        return MANAGED_BY_VALUE.equals(tags.get(MANAGED_BY_KEY));
    }

    private static String targetTag(AlarmTarget target) {
        return target.kind().namePart() + "/" + target.identifier();
    }
}
