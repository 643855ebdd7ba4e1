package io.cdcenabler.alarms;

import java.util.List;

/**
 * What one ensure or remove did to a target's alarms, by alarm name. {@code foreign} lists alarms under the
 * target's prefix that lack our managed-by tag: they are left alone, and reported so that someone looks.
 */
public record AlarmChanges(List<String> created, List<String> updated, List<String> deleted, List<String> unchanged,
                           List<String> foreign) {
    public AlarmChanges {
        created = List.copyOf(created);
        updated = List.copyOf(updated);
        deleted = List.copyOf(deleted);
        unchanged = List.copyOf(unchanged);
        foreign = List.copyOf(foreign);
    }

    /** True when the run wrote nothing. */
    public boolean changedNothing() {
        return created.isEmpty() && updated.isEmpty() && deleted.isEmpty();
    }
}
