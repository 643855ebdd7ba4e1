package io.cdcenabler.alarms;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one ensure or remove did to a target's alarms: the alarm names by {@link Outcome}. FOREIGN lists alarms
 * under the target's prefix that lack our managed-by tag: they are left alone, and reported so that someone looks.
 *
 * @param byOutcome alarm names per outcome (every outcome present, possibly empty)
 */
public record AlarmChanges(Map<Outcome, List<String>> byOutcome) {
    /** What happened to one alarm. */
    public enum Outcome { CREATED, UPDATED, DELETED, UNCHANGED, FOREIGN }

    public AlarmChanges {
        Map<Outcome, List<String>> copy = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            copy.put(outcome, List.copyOf(byOutcome.getOrDefault(outcome, List.of())));
        }
        byOutcome = Map.copyOf(copy);
    }

    public List<String> created() {
        return byOutcome.get(Outcome.CREATED);
    }

    public List<String> updated() {
        return byOutcome.get(Outcome.UPDATED);
    }

    public List<String> deleted() {
        return byOutcome.get(Outcome.DELETED);
    }

    public List<String> unchanged() {
        return byOutcome.get(Outcome.UNCHANGED);
    }

    public List<String> foreign() {
        return byOutcome.get(Outcome.FOREIGN);
    }

    /** True when the run wrote nothing. */
    public boolean changedNothing() {
        return created().isEmpty() && updated().isEmpty() && deleted().isEmpty();
    }
}
