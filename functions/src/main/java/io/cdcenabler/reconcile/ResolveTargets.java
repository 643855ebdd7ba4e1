package io.cdcenabler.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.LogLines;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ResolveTargets, the reconcile state machine's first Task: its input (the schedule's {@code {}}, a console input
 * with {@code maxConcurrency}, or a lifecycle event from EventBridge) to the enrolments to verify. Reads only.
 */
public final class ResolveTargets {
    /** How many targets are checked at once when the input does not say. */
    public static final int DEFAULT_MAX_CONCURRENCY = 10;
    /** The most the input may ask for: RDS's API budget, not the Map, bounds a fleet run (see the README). */
    public static final int MAX_CONCURRENCY = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(ResolveTargets.class);

    private final AffectedEnrolments affected;

    public ResolveTargets(AffectedEnrolments affected) {
        this.affected = Objects.requireNonNull(affected, "affected");
    }

    /**
     * What the Map iterates over, and why.
     *
     * @param targets the enrolments to verify (small items: the Map's input is bounded by 256 KB)
     * @param reason why the reconciliation ran
     * @param eventKind the lifecycle event's kind (NONE for the schedule)
     * @param eventId the event's ID (RDS-EVENT-0011, ModifyDBClusterParameterGroup, ...), null for the schedule
     * @param ignored whether the event concerns nothing we reconcile (then {@code targets} is empty)
     * @param maxConcurrency how many targets at once
     */
    public record Resolved(List<ReconcileTarget> targets, String reason, String eventKind, String eventId,
                           boolean ignored, int maxConcurrency) {
    }

    public Resolved resolve(JsonNode input) {
        int concurrency = maxConcurrency(input);
        LifecycleEvent event = LifecycleEvent.from(input);
        List<ReconcileTarget> targets = affected.of(event);
        LOG.info(LogLines.json("step", "resolve-targets", "event", event.kind().name(), "eventId",
                String.valueOf(event.eventId()), "targets", String.valueOf(targets.size())));
        return new Resolved(targets, event.reason(), event.kind().name(), event.eventId(), event.ignored(),
                concurrency);
    }

    private static int maxConcurrency(JsonNode input) {
        JsonNode value = input == null ? null : input.get("maxConcurrency");
        if (value == null || value.isNull()) {
            return DEFAULT_MAX_CONCURRENCY;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 1
                || value.asInt() > MAX_CONCURRENCY) {
            throw new InvalidInputException("maxConcurrency must be a whole number from 1 to " + MAX_CONCURRENCY
                    + ", was " + value + "; nothing was checked");
        }
        return value.asInt();
    }
}
