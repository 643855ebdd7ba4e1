package io.cdcenabler.steps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.registry.EnrolmentResult;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.workflow.ReconcileItem;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RecordResult: the last state of every reconcile item. It turns what CheckDrift, the repair and a Catch left in the
 * item into one result (READY, REPAIRED, DRIFT_PENDING_REBOOT, FAILED with the named error), records it in the
 * registry, and returns the target's summary line. A result for an enrolment removed meanwhile is reported, not
 * recorded.
 */
public final class RecordResultStep {
    private static final Logger LOG = LoggerFactory.getLogger(RecordResultStep.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_ERROR_LENGTH = 600;

    private final EnrolmentRegistry registry;
    private final Clock clock;

    public RecordResultStep(EnrolmentRegistry registry, Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** One target's line of the reconciliation's summary. */
    public record ResultLine(String identifier, String database, EnrolmentResult result, List<String> drift,
                             String error, boolean recorded, String line) {
    }

    public ResultLine record(ReconcileItem item) {
        if (item == null || item.target() == null || item.target().identifier() == null
                || item.target().database() == null) {
            throw new InvalidInputException("RecordResult needs $.target with identifier and database; nothing was "
                    + "recorded");
        }
        if (ReconcileCheckStep.ENROL_INSTANCE.equals(item.target().kind())
                || ReconcileCheckStep.ENROL_CLUSTER.equals(item.target().kind())) {
            return enrolled(item);
        }
        EnrolmentResult result = resultOf(item);
        List<String> drift = item.check() == null ? List.of() : item.check().drifts();
        String error = errorOf(item);
        Enrolment.Key key = new Enrolment.Key(item.target().identifier(), item.target().database());
        Optional<Enrolment> stored = registry.recordResult(key,
                new EnrolmentRegistry.Finding(result, drift, error, clock.instant()));
        String line = key + " " + result + (drift.isEmpty() ? "" : " " + drift)
                + (error == null ? "" : " " + error) + (stored.isPresent() ? "" : " (no longer enrolled: not recorded)");
        LOG.info(LogLines.json("step", "record-result", "target", key.toString(), "result", result.name(),
                "recorded", String.valueOf(stored.isPresent())));
        return new ResultLine(key.identifier(), key.database(), result, drift, error, stored.isPresent(), line);
    }

    /**
     * A tagged target the reconciliation enrolled: the enrolment run recorded it itself (under the database it
     * found); the line says what it ended with. A target the run skipped (another engine, a read replica) is READY
     * for the totals with the reason in its line, since there is nothing to enrol.
     */
    private static ResultLine enrolled(ReconcileItem item) {
        String ended = item.repair() == null ? null : item.repair().result();
        String error = item.error() != null || !List.of("READY", "REBOOT_PENDING", "SKIPPED").contains(ended)
                ? errorOf(item) : null;
        JsonNode output = item.repair() == null ? null : item.repair().output();
        String database = output == null ? "*" : output.path("database").asText("*");
        EnrolmentResult result = error != null ? EnrolmentResult.FAILED : "REBOOT_PENDING".equals(ended)
                ? EnrolmentResult.DRIFT_PENDING_REBOOT : "READY".equals(ended) || "SKIPPED".equals(ended)
                ? EnrolmentResult.READY : EnrolmentResult.FAILED;
        String what = "SKIPPED".equals(ended) ? "not enrolled: " + output.path("reason").asText()
                : "newly enrolled (opt-in tag)";
        String line = item.target().identifier() + "/" + database + " " + result + " " + what
                + (error == null ? "" : " " + error);
        LOG.info(LogLines.json("step", "record-result", "target", item.target().identifier(), "result",
                result.name(), "enrolled", String.valueOf("READY".equals(ended))));
        return new ResultLine(item.target().identifier(), database, result, List.of(), error, false, line);
    }

    static EnrolmentResult resultOf(ReconcileItem item) {
        if (item.error() != null || item.check() == null || item.check().targetGone()) {
            return EnrolmentResult.FAILED;
        }
        if (!item.check().drifted()) {
            return EnrolmentResult.READY;
        }
        String repaired = item.repair() == null ? null : item.repair().result();
        if ("READY".equals(repaired)) {
            return EnrolmentResult.REPAIRED;
        }
        if ("REBOOT_PENDING".equals(repaired)) {
            return EnrolmentResult.DRIFT_PENDING_REBOOT;
        }
        return EnrolmentResult.FAILED;
    }

    /**
     * The named error: the Catch's, where a failed enrolment run's cause (Step Functions gives the child's
     * DescribeExecution as JSON) is unwrapped to the child's own error and cause; never longer than 600 characters.
     */
    static String errorOf(ReconcileItem item) {
        if (item.error() != null) {
            String error = item.error().error();
            String cause = item.error().cause();
            JsonNode child = parse(cause);
            if (child != null && child.hasNonNull("Error")) {
                error = child.path("Error").asText();
                cause = child.path("Cause").asText(null);
            }
            return trim(error + (cause == null || cause.isBlank() ? "" : ": " + cause));
        }
        if (item.check() != null && item.check().targetGone()) {
            return trim("io.cdcenabler.workflow.TargetNotFoundException: " + String.join("; ", item.check().drifts()));
        }
        if (item.check() != null && item.check().drifted() && item.repair() != null
                && !"READY".equals(item.repair().result()) && !"REBOOT_PENDING".equals(item.repair().result())) {
            return trim("the repair ended " + item.repair().result() + ": " + item.repair().output());
        }
        return null;
    }

    private static JsonNode parse(String cause) {
        if (cause == null || !cause.trim().startsWith("{")) {
            return null;
        }
        try {
            return MAPPER.readTree(cause);
        } catch (IOException e) {
            return null;
        }
    }

    private static String trim(String text) {
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH - 3) + "...";
    }
}
