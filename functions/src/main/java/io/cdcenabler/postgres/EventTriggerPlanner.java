package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.TableInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Plans the event trigger that keeps new tables of the tracked schemas (and new partitions of tracked tables) at
 * REPLICA IDENTITY FULL: its schema, its function with the configuration of every publication, and the trigger; and
 * its removal at teardown, which keeps it for the other publications it serves.
 */
final class EventTriggerPlanner {

    private EventTriggerPlanner() {
    }

    /** The steps that install or update the trigger for the spec's publication; none when it needs none. */
    static List<Step> plan(EngineContext context, ProvisioningSpec spec, List<TableInfo> tables) {
        Catalog catalog = context.catalog();
        boolean allTables = spec.trackingMode() == TrackingMode.ALL_TABLES;
        TriggerConfig current = TriggerConfig.parse(
                catalog.functionComment(EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION));
        boolean partitioned = tables.stream().anyMatch(t -> t.kind() == 'p');
        List<Step> steps = new ArrayList<>();
        if (!allTables && !partitioned && !current.publications().containsKey(spec.publication())) {
            return steps;
        }
        if (!catalog.schemaExists(EventTriggerSql.SCHEMA)) {
            steps.add(Ddl.createTriggerSchema());
        }
        String source = catalog.functionSource(EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION);
        TriggerConfig.Entry entry = new TriggerConfig.Entry(allTables ? spec.schemas() : List.of(), spec.cdcUser());
        TriggerConfig wanted = current.with(spec.publication(), entry);
        String body = EventTriggerSql.body(context.facts().major(), wanted);
        if (!body.equals(source)) {
            steps.add(Ddl.writeFunction(context.connection(), body, source == null));
        }
        if (!wanted.equals(current) || source == null) {
            steps.add(Ddl.configureTrigger(context.connection(), spec.publication(), allTables
                    ? "new tables of schemas " + Provisioner.printableList(spec.schemas())
                    : "new partitions of its tables", wanted));
        }
        OptionalInt held = UpgradeHold.heldFor(catalog);
        boolean holding = UpgradeHold.holds(held, context.facts().major(), spec.releaseUpgradeHold());
        planTrigger(catalog, steps, holding);
        if (held.isPresent() && !holding) {
            steps.add(Ddl.clearUpgradeHold());
        }
        return steps;
    }

    /** A missing trigger is created unless an upgrade hold keeps it away ({@link UpgradeHold}). */
    private static void planTrigger(Catalog catalog, List<Step> steps, boolean holding) {
        Catalog.EventTriggerInfo trigger = catalog.eventTrigger(EventTriggerSql.TRIGGER);
        boolean wrongShape = trigger != null && (!trigger.functionSchema().equals(EventTriggerSql.SCHEMA)
                || !trigger.functionName().equals(EventTriggerSql.FUNCTION)
                || !new TreeSet<>(trigger.tags()).equals(new TreeSet<>(EventTriggerSql.TAGS)));
        if (wrongShape) {
            steps.add(Ddl.dropOutdatedTrigger());
        }
        if (trigger == null && holding) {
            return;
        }
        if (trigger == null || wrongShape) {
            steps.add(Ddl.createTrigger());
        } else if (!"O".equals(trigger.enabled())) {
            steps.add(Ddl.enableTrigger());
        }
    }

    /**
     * The steps that take the publication out of the trigger's configuration, or, when it was the last one, drop
     * the trigger, its function and its schema.
     */
    static List<Step> planRemoval(EngineContext context, String publication) {
        Catalog catalog = context.catalog();
        TriggerConfig config = TriggerConfig.parse(
                catalog.functionComment(EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION));
        TriggerConfig remaining = config.without(publication);
        List<Step> steps = new ArrayList<>();
        if (!remaining.isEmpty()) {
            if (!remaining.equals(config)) {
                steps.add(Ddl.writeFunction(context.connection(),
                        EventTriggerSql.body(context.facts().major(), remaining), false));
                steps.add(Ddl.unconfigureTrigger(context.connection(), publication, remaining));
            }
            return steps;
        }
        if (catalog.eventTrigger(EventTriggerSql.TRIGGER) != null) {
            steps.add(Ddl.dropTrigger());
        }
        if (catalog.functionSource(EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION) != null) {
            steps.add(Ddl.dropFunction());
        }
        if (catalog.schemaExists(EventTriggerSql.SCHEMA)) {
            steps.add(Ddl.dropTriggerSchema());
        }
        return steps;
    }
}
