package io.cdcenabler.alarms;

import java.util.List;
import java.util.Map;

/**
 * The port to the alarm service (CloudWatch): the four things the ensurer needs, with CloudWatch's own semantics.
 * Implementations absorb throttling with backoff and translate what is left into the workflow's typed errors.
 */
public interface AlarmStore {
    /** The most alarm names one {@link #delete} call takes (CloudWatch DeleteAlarms). */
    int MAX_DELETE_BATCH = 100;

    /** Every metric alarm whose name starts with {@code prefix}, across all pages. */
    List<StoredAlarm> findByPrefix(String prefix);

    /**
     * Creates the alarm, or replaces the definition of the alarm of that name. {@code tags} apply only when the
     * alarm is created: like PutMetricAlarm, an update keeps the existing tags.
     */
    void put(AlarmDefinition alarm, Map<String, String> tags);

    /** The tags of the alarm; empty when it has none or no longer exists. */
    Map<String, String> tagsOf(String alarmArn);

    /** Deletes the named alarms (at most {@link #MAX_DELETE_BATCH}); names that do not exist are ignored. */
    void delete(List<String> names);

    /** An alarm as found: its ARN (for its tags) and its definition. */
    record StoredAlarm(String arn, AlarmDefinition definition) {
        public String name() {
            return definition.name();
        }
    }
}
