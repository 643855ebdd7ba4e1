package io.cdcenabler.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.contract.RdsEvents;
import io.cdcenabler.workflow.InvalidInputException;
import java.util.Locale;

/**
 * Reads an "AWS API Call via CloudTrail" event: DB cluster parameter group edits have no RDS event, so the
 * ModifyDBClusterParameterGroup and ResetDBClusterParameterGroup calls CloudTrail records stand for one. A call that
 * failed (detail.errorCode is set) changed nothing and is ignored, as is any other call.
 */
final class CloudTrailCalls {
    private CloudTrailCalls() {
    }

    static LifecycleEvent from(JsonNode detail) {
        String eventSource = detail.path("eventSource").asText(null);
        if (!RdsEvents.CLOUDTRAIL_EVENT_SOURCE.equals(eventSource)) {
            return LifecycleEvent.ignored(null, "CloudTrail call to " + eventSource + " is not an RDS call");
        }
        String call = detail.path("eventName").asText(null);
        if (call == null || call.isBlank()) {
            throw new InvalidInputException("CloudTrail event detail.eventName is missing: it must name the RDS call");
        }
        if (!RdsEvents.CLUSTER_PARAMETER_GROUP_CALLS.contains(call)) {
            return LifecycleEvent.ignored(call, "RDS call " + call + " edits no DB cluster parameter group");
        }
        String errorCode = detail.path("errorCode").asText("");
        if (!errorCode.isBlank()) {
            return LifecycleEvent.ignored(call, call + " failed with " + errorCode + ", so it changed nothing");
        }
        String group = detail.path("requestParameters").path("dBClusterParameterGroupName").asText(null);
        if (group == null || group.isBlank()) {
            throw new InvalidInputException("CloudTrail event detail.requestParameters.dBClusterParameterGroupName "
                    + "is missing: " + call + " must name the DB cluster parameter group it edited");
        }
        String verb = call.startsWith("Reset") ? "reset" : "edited";
        return new LifecycleEvent(LifecycleEvent.Kind.CLUSTER_PARAMETER_GROUP_CALL, call,
                group.toLowerCase(Locale.ROOT), "its DB cluster parameter group was " + verb + " (" + call + ")");
    }
}
