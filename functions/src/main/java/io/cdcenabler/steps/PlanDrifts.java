package io.cdcenabler.steps;

import io.cdcenabler.postgres.Change;
import io.cdcenabler.postgres.Plan;
import io.cdcenabler.postgres.Step;
import io.cdcenabler.postgres.TableName;
import io.cdcenabler.workflow.Drift;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The drifts a provisioning plan shows: each change the engine would make to a database it already provisioned is
 * one drift, its kind chosen by what the change acts on (the engine's change texts, see postgres.Ddl).
 */
final class PlanDrifts {
    /** Change actions (their start) and the drift kind of each; the first that matches wins. */
    private static final List<Map.Entry<String, String>> KINDS = List.of(
            Map.entry("created publication", Drift.PUBLICATION),
            Map.entry("set options (", Drift.PUBLICATION),
            Map.entry("added schemas to publication", Drift.PUBLICATION),
            Map.entry("added to publication", Drift.PUBLICATION),
            Map.entry("created schema", Drift.EVENT_TRIGGER),
            Map.entry("created function", Drift.EVENT_TRIGGER),
            Map.entry("updated function", Drift.EVENT_TRIGGER),
            Map.entry("configured event trigger", Drift.EVENT_TRIGGER),
            Map.entry("created event trigger", Drift.EVENT_TRIGGER),
            Map.entry("dropped outdated event trigger", Drift.EVENT_TRIGGER),
            Map.entry("enabled event trigger", Drift.EVENT_TRIGGER),
            Map.entry("cleared the upgrade hold", Drift.EVENT_TRIGGER),
            Map.entry("created role", Drift.CDC_ROLE),
            Map.entry("adopted role", Drift.CDC_ROLE),
            Map.entry("restricted role", Drift.CDC_ROLE),
            Map.entry("set password of", Drift.CDC_ROLE),
            Map.entry("granted", Drift.CDC_ROLE),
            Map.entry("set default privileges", Drift.CDC_ROLE),
            Map.entry("removed manual-runbook", Drift.RUNBOOK_OBJECT));

    private static final String IDENTITY_PREFIX = "set REPLICA IDENTITY ";

    private PlanDrifts() {
    }

    /**
     * One drift per change of the plan: the replica identities first ({@code current} holds each table's present
     * identity, for the detail), then the setup steps; notes of the plan are not drifts.
     */
    static List<Drift> of(Plan plan, Map<TableName, String> current) {
        List<Drift> drifts = new ArrayList<>();
        List<TableName> tables = plan.replicaIdentityTables();
        List<Change> changes = plan.changes();
        for (int i = 0; i < tables.size(); i++) {
            TableName table = tables.get(i);
            drifts.add(new Drift(Drift.REPLICA_IDENTITY, table + " replica identity "
                    + current.getOrDefault(table, "unknown") + ", want " + wantedIdentity(changes.get(i))));
        }
        for (Step step : plan.setup()) {
            if (!(step instanceof Step.NoteStep)) {
                drifts.add(new Drift(kind(step.change()), "enrolling again would " + step.change().imperative()));
            }
        }
        return drifts;
    }

    /** "FULL" of the change "set REPLICA IDENTITY FULL on public.orders" (Plan lists identity changes first). */
    private static String wantedIdentity(Change change) {
        String action = change.action();
        String text = action.startsWith(IDENTITY_PREFIX) ? action.substring(IDENTITY_PREFIX.length()) : action;
        return text.endsWith(" on") ? text.substring(0, text.length() - 3) : text;
    }

    /** The drift kind of a change, {@link Drift#OTHER} for a change no kind describes. */
    static String kind(Change change) {
        return KINDS.stream().filter(entry -> change.action().startsWith(entry.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(Drift.OTHER);
    }
}
