package io.cdcenabler.rds;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.workflow.InvalidInputException;
import java.util.Locale;

/**
 * The parts of an EventBridge RDS event DescribeTarget uses (source aws.rds, detail-type "RDS DB Instance Event" or
 * "RDS DB Cluster Event"). It carries no tags and no options.
 */
public record RdsEvent(String detailType, String eventId, String sourceIdentifier, String sourceArn) {
    public static final String INSTANCE_EVENT = "RDS DB Instance Event";
    public static final String CLUSTER_EVENT = "RDS DB Cluster Event";

    /** The event in {@code input}, or null when {@code input} is not an EventBridge event (a manual request). */
    public static RdsEvent from(JsonNode input) {
        if (!input.has("detail-type") || !input.has("detail")) {
            return null;
        }
        String source = input.path("source").asText(null);
        if (!"aws.rds".equals(source)) {
            throw new InvalidInputException("event source must be aws.rds, was " + source);
        }
        String detailType = input.path("detail-type").asText(null);
        if (!INSTANCE_EVENT.equals(detailType) && !CLUSTER_EVENT.equals(detailType)) {
            throw new InvalidInputException("event detail-type must be \"" + INSTANCE_EVENT + "\" or \""
                    + CLUSTER_EVENT + "\", was " + detailType);
        }
        JsonNode detail = input.path("detail");
        String identifier = detail.path("SourceIdentifier").asText(null);
        if (identifier == null || identifier.isBlank()) {
            throw new InvalidInputException("event detail.SourceIdentifier must name the DB instance or cluster");
        }
        // RDS reports identifiers in lower case; normalised here too so the secret name never depends on the source.
        return new RdsEvent(detailType, detail.path("EventID").asText(null), identifier.toLowerCase(Locale.ROOT),
                detail.path("SourceArn").asText(null));
    }

    public boolean isClusterEvent() {
        return CLUSTER_EVENT.equals(detailType);
    }
}
