package io.cdcenabler.alarms;

import io.cdcenabler.workflow.LogLines;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a target's guardrail alarms match the plan, idempotently: {@link #ensure} creates the missing alarms,
 * replaces those whose definition differs, leaves identical ones untouched (a re-run writes nothing) and deletes
 * our alarms of that target that the plan no longer has; {@link #remove} deletes all of them (unenrolment). Only
 * alarms tagged managed-by=cdc-enabler are ever replaced or deleted.
 */
public final class AlarmEnsurer {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmEnsurer.class);

    private final AlarmStore store;
    private final AlarmPlanner planner;

    public AlarmEnsurer(AlarmStore store, AlarmPlanner planner) {
        this.store = Objects.requireNonNull(store, "store");
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    private AlarmEnsurer(AlarmStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.planner = null;
    }

    /** An ensurer that can only {@link #remove} (unenrolment needs no plan, so no topic). */
    public static AlarmEnsurer forRemoval(AlarmStore store) {
        return new AlarmEnsurer(store);
    }

    /** Brings {@code target}'s alarms to the plan and says what changed. */
    public AlarmChanges ensure(AlarmTarget target) {
        if (planner == null) {
            throw new IllegalStateException("this AlarmEnsurer was made for removal only: it has no plan");
        }
        Map<String, AlarmStore.StoredAlarm> existing = existing(target);
        Changes changes = new Changes();
        for (AlarmDefinition planned : planner.plan(target)) {
            AlarmStore.StoredAlarm found = existing.remove(planned.name());
            if (found == null) {
                store.put(planned, AlarmNames.tagsOf(target));
                changes.created.add(planned.name());
            } else if (found.definition().equals(planned)) {
                changes.unchanged.add(planned.name());
            } else if (isManaged(found)) {
                store.put(planned, AlarmNames.tagsOf(target));
                changes.updated.add(planned.name());
            } else {
                changes.foreign.add(planned.name());
            }
        }
        deleteManaged(existing.values(), changes);
        return changes.logged("ensure", target);
    }

    /** Deletes every alarm of ours for {@code target} and says which. */
    public AlarmChanges remove(AlarmTarget target) {
        Changes changes = new Changes();
        deleteManaged(existing(target).values(), changes);
        return changes.logged("remove", target);
    }

    private Map<String, AlarmStore.StoredAlarm> existing(AlarmTarget target) {
        Map<String, AlarmStore.StoredAlarm> byName = new LinkedHashMap<>();
        for (AlarmStore.StoredAlarm alarm : store.findByPrefix(AlarmNames.prefixOf(target))) {
            byName.put(alarm.name(), alarm);
        }
        return byName;
    }

    private void deleteManaged(Iterable<AlarmStore.StoredAlarm> candidates, Changes changes) {
        List<String> doomed = new ArrayList<>();
        for (AlarmStore.StoredAlarm alarm : candidates) {
            (isManaged(alarm) ? doomed : changes.foreign).add(alarm.name());
        }
        for (int from = 0; from < doomed.size(); from += AlarmStore.MAX_DELETE_BATCH) {
            store.delete(doomed.subList(from, Math.min(doomed.size(), from + AlarmStore.MAX_DELETE_BATCH)));
        }
        changes.deleted.addAll(doomed);
    }

    private boolean isManaged(AlarmStore.StoredAlarm alarm) {
        return AlarmNames.isManaged(store.tagsOf(alarm.arn()));
    }

    private static final class Changes {
        final List<String> created = new ArrayList<>();
        final List<String> updated = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        final List<String> unchanged = new ArrayList<>();
        final List<String> foreign = new ArrayList<>();

        AlarmChanges logged(String action, AlarmTarget target) {
            AlarmChanges result = new AlarmChanges(Map.of(AlarmChanges.Outcome.CREATED, created,
                    AlarmChanges.Outcome.UPDATED, updated, AlarmChanges.Outcome.DELETED, deleted,
                    AlarmChanges.Outcome.UNCHANGED, unchanged, AlarmChanges.Outcome.FOREIGN, foreign));
            LOG.info(LogLines.json("step", "alarms", "action", action, "target", target.identifier(),
                    "kind", target.kind().name(), "created", created.size(), "updated", updated.size(),
                    "deleted", deleted.size(), "unchanged", unchanged.size(), "foreign", String.join(",", foreign)));
            return result;
        }
    }
}
