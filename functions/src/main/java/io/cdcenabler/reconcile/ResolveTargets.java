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

    /** The kinds of items that enrol a tagged target not enrolled yet (input {@code "enrolTagged": true}). */
    public static final String ENROL_INSTANCE = "ENROL_INSTANCE";
    /** As {@link #ENROL_INSTANCE}, for a DB cluster. */
    public static final String ENROL_CLUSTER = "ENROL_CLUSTER";
    /** The database of an item that enrols a target: the target's own default database, as DescribeTarget finds it. */
    public static final String DEFAULT_DATABASE = "*";

    private final AffectedEnrolments affected;
    private final TaggedTargets tagged;

    public ResolveTargets(AffectedEnrolments affected, TaggedTargets tagged) {
        this.affected = Objects.requireNonNull(affected, "affected");
        this.tagged = Objects.requireNonNull(tagged, "tagged");
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
        boolean enrolTagged = enrolTagged(input);
        if (enrolTagged && event.kind() != LifecycleEvent.Kind.NONE) {
            throw new InvalidInputException("enrolTagged is an input of its own, not an option of an event; nothing "
                    + "was checked");
        }
        List<ReconcileTarget> targets = affected.of(event);
        if (enrolTagged) {
            targets = withTagged(targets);
        }
        LOG.info(LogLines.json("step", "resolve-targets", "event", event.kind().name(), "eventId",
                String.valueOf(event.eventId()), "targets", String.valueOf(targets.size())));
        return new Resolved(targets, event.reason(), event.kind().name(), event.eventId(), event.ignored(),
                concurrency);
    }

    /** Every enrolment, then every tagged instance and cluster that is not enrolled yet, as an item that enrols it. */
    private List<ReconcileTarget> withTagged(List<ReconcileTarget> enrolments) {
        java.util.Set<String> enrolled = new java.util.HashSet<>();
        enrolments.forEach(target -> enrolled.add(target.identifier()));
        List<ReconcileTarget> all = new java.util.ArrayList<>(enrolments);
        for (TaggedTargets.Tagged target : tagged.list()) {
            if (!enrolled.contains(target.identifier())) {
                all.add(new ReconcileTarget(target.identifier(), DEFAULT_DATABASE, target.cluster() ? ENROL_CLUSTER
                        : ENROL_INSTANCE, "carries the opt-in tag and is not enrolled: enrol it"));
            }
        }
        return List.copyOf(all);
    }

    private static boolean enrolTagged(JsonNode input) {
        JsonNode value = input == null ? null : input.get("enrolTagged");
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new InvalidInputException("enrolTagged must be true or false, was " + value + "; nothing was checked");
        }
        return value.asBoolean();
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
