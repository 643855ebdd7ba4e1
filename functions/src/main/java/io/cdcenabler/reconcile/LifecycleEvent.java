package io.cdcenabler.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.contract.RdsEvents;
import io.cdcenabler.rds.RdsEvent;
import io.cdcenabler.workflow.InvalidInputException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What started a reconciliation run: an EventBridge lifecycle event (RDS instance, cluster, parameter group or
 * Blue/Green event, or a CloudTrail record of a DB cluster parameter group call) or a schedule ({@link Kind#NONE}).
 * An event that cannot concern an enrolment (an unknown event ID, a failed or unrelated API call) is
 * {@link Kind#IGNORED}, with the reason, not an error: EventBridge rules are broad and RDS adds event IDs.
 *
 * @param kind what the event is about; NONE means every enrolment, IGNORED none
 * @param eventId the RDS event ID ("RDS-EVENT-0011"), or the CloudTrail eventName; null for NONE
 * @param sourceIdentifier the instance, cluster, DB parameter group or DB cluster parameter group name (lower case,
 *     as RDS stores them), or the Blue/Green deployment's identifier (the event names no database); null for NONE
 * @param reason a short human reason, e.g. "moved to another parameter group (RDS-EVENT-0011)"
 */
public record LifecycleEvent(Kind kind, String eventId, String sourceIdentifier, String reason) {
    /** The detail type and source of an EventBridge schedule rule's event ("detail": {}). */
    static final String SCHEDULED_EVENT = "Scheduled Event";
    static final String SCHEDULE_SOURCE = "aws.events";

    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("RDS-EVENT-0011", "moved to another parameter group"),
            Map.entry("RDS-EVENT-0092", "finished updating its configuration"),
            Map.entry("RDS-EVENT-0013", "failover started"),
            Map.entry("RDS-EVENT-0015", "failover to the standby completed"),
            Map.entry("RDS-EVENT-0049", "failover completed"),
            Map.entry("RDS-EVENT-0006", "restarted"),
            Map.entry("RDS-EVENT-0019", "restored from a point in time"),
            Map.entry("RDS-EVENT-0043", "restored from a snapshot"),
            Map.entry("RDS-EVENT-0268", "major version upgrade finished"),
            Map.entry("RDS-EVENT-0270", "major version upgrade rolled back"),
            Map.entry("RDS-EVENT-0071", "cluster failover completed"),
            Map.entry("RDS-EVENT-0176", "cluster engine upgraded"),
            Map.entry("RDS-EVENT-0037", "a parameter of its DB parameter group was edited"),
            Map.entry("RDS-EVENT-0248", "Blue/Green switchover completed"));

    /** What a lifecycle event is about. */
    public enum Kind {
        INSTANCE,
        CLUSTER,
        PARAMETER_GROUP,
        CLUSTER_PARAMETER_GROUP_CALL,
        BLUE_GREEN,
        /** No event: a scheduled run, which verifies every enrolment. */
        NONE,
        /** An event that concerns no enrolment; {@link #reason()} says why. */
        IGNORED
    }

    public LifecycleEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    /** Whether the event concerns no enrolment. */
    public boolean ignored() {
        return kind == Kind.IGNORED;
    }

    /**
     * The event in {@code input}: NONE for no input (null, JSON null, or an object without "detail-type", as a
     * Scheduler or a manual start passes) and for an EventBridge schedule rule's "Scheduled Event".
     *
     * @throws InvalidInputException when the input is not an object, or an event lacks a field it must have
     *     (detail, detail.EventID, detail.SourceIdentifier, detail.eventName, the group name of a cluster
     *     parameter group call)
     */
    public static LifecycleEvent from(JsonNode input) {
        if (input == null || input.isNull() || input.isMissingNode()) {
            return schedule();
        }
        if (!input.isObject()) {
            throw new InvalidInputException("reconcile input must be a JSON object or an EventBridge event, "
                    + "not JSON of type " + input.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        if (!input.has("detail-type")) {
            return schedule();
        }
        String detailType = input.path("detail-type").asText("");
        JsonNode detail = input.path("detail");
        if (!detail.isObject()) {
            throw new InvalidInputException("event of detail-type \"" + detailType + "\" has no detail object");
        }
        String source = input.path("source").asText(null);
        if (SCHEDULED_EVENT.equals(detailType) && SCHEDULE_SOURCE.equals(source)) {
            return schedule();
        }
        if (!RdsEvents.SOURCE.equals(source)) {
            return ignored(null, "event from " + source + " (" + detailType + ") is not an RDS event");
        }
        return switch (detailType) {
            case RdsEvent.INSTANCE_EVENT -> rdsEvent(detail, Kind.INSTANCE, RdsEvents.INSTANCE_DRIFT_EVENT_IDS,
                    "DB instance");
            case RdsEvent.CLUSTER_EVENT -> rdsEvent(detail, Kind.CLUSTER, RdsEvents.CLUSTER_DRIFT_EVENT_IDS,
                    "DB cluster");
            case RdsEvents.PARAMETER_GROUP_DETAIL_TYPE -> parameterGroupEvent(detail);
            case RdsEvents.BLUE_GREEN_DETAIL_TYPE -> rdsEvent(detail, Kind.BLUE_GREEN, RdsEvents.BLUE_GREEN_EVENT_IDS,
                    "Blue/Green deployment");
            case RdsEvents.CLOUDTRAIL_DETAIL_TYPE -> CloudTrailCalls.from(detail);
            default -> ignored(null, "RDS event of detail-type \"" + detailType + "\" concerns no enrolment");
        };
    }

    static LifecycleEvent schedule() {
        return new LifecycleEvent(Kind.NONE, null, null, "scheduled reconciliation of every enrolment");
    }

    static LifecycleEvent ignored(String eventId, String reason) {
        return new LifecycleEvent(Kind.IGNORED, eventId, null, "ignored: " + reason);
    }

    /** An instance, cluster or Blue/Green event: of {@code kind} when its ID is one of {@code handledIds}. */
    private static LifecycleEvent rdsEvent(JsonNode detail, Kind kind, List<String> handledIds, String what) {
        String eventId = eventId(detail);
        String identifier = required(detail, "SourceIdentifier", "the " + what);
        if (!handledIds.contains(eventId)) {
            return ignored(eventId, what + " " + identifier + ": " + eventId + " cannot make an enrolment drift");
        }
        return new LifecycleEvent(kind, eventId, identifier, REASONS.get(eventId) + " (" + eventId + ")");
    }

    /**
     * A DB parameter group event. Its group is the name in SourceArn (arn:...:pg:NAME); AWS's own sample shows
     * SourceIdentifier as "rds:NAME", so a SourceIdentifier is read without that prefix.
     */
    private static LifecycleEvent parameterGroupEvent(JsonNode detail) {
        String eventId = eventId(detail);
        String arn = detail.path("SourceArn").asText("");
        int pg = arn.indexOf(":pg:");
        String group = pg >= 0 ? arn.substring(pg + 4).toLowerCase(Locale.ROOT)
                : withoutRdsPrefix(required(detail, "SourceIdentifier", "the DB parameter group"));
        if (group.isBlank()) {
            throw new InvalidInputException("event detail.SourceArn " + arn + " names no DB parameter group");
        }
        if (!RdsEvents.PARAMETER_GROUP_EVENT_IDS.contains(eventId)) {
            return ignored(eventId, "DB parameter group " + group + ": " + eventId + " cannot make an enrolment drift");
        }
        return new LifecycleEvent(Kind.PARAMETER_GROUP, eventId, group,
                REASONS.get(eventId) + " (" + eventId + ")");
    }

    private static String withoutRdsPrefix(String identifier) {
        return identifier.startsWith("rds:") ? identifier.substring(4) : identifier;
    }

    private static String eventId(JsonNode detail) {
        String eventId = detail.path("EventID").asText(null);
        if (eventId == null || eventId.isBlank()) {
            throw new InvalidInputException("event detail.EventID is missing: an RDS event must say which event it is");
        }
        return eventId;
    }

    /** The text of {@code detail.field} in lower case (RDS stores identifiers and group names so). */
    static String required(JsonNode detail, String field, String what) {
        String value = detail.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new InvalidInputException("event detail." + field + " is missing: it must name " + what);
        }
        return value.toLowerCase(Locale.ROOT);
    }
}
