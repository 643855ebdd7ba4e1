package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.TableInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Plans provisioning from the catalogs, changing nothing: the tables whose replica identity changes, the runbook's
 * objects to remove, the CDC role, the event trigger and the publication, after checking every privilege that can
 * be foreseen.
 */
final class ProvisionPlanner {

    /**
     * A plan, split for the order of work: {@code beforePublication} (runbook removal, role, grants, event trigger)
     * commits first, {@code publication} last; {@code rehearsal} is every step, in an order that names the
     * publication's missing privilege before the trigger's.
     */
    record Planned(Plan plan, Optional<Secret> generatedPassword, List<Step> beforePublication,
                   List<Step> publication, List<Step> rehearsal) {
    }

    private ProvisionPlanner() {
    }

    static Planned plan(EngineContext context, ProvisioningSpec spec, ConnectionSource connections) {
        String cdcRole = spec.cdcUser();
        if (cdcRole != null && cdcRole.equals(context.facts().currentUser())) {
            throw new InvalidSpecException("cdcUser " + cdcRole + " is the admin user itself; choose another name, "
                    + "or use credentials mode MASTER");
        }
        List<TableInfo> tables = trackedTables(context, spec, cdcRole);
        List<IdentityPolicy.Decision> decisions = decide(context, tables);
        Ownership.requireForChanges(context.facts(), decisions, "set REPLICA IDENTITY on");
        List<String> notes = new ArrayList<>();
        IdentityPolicy.keyOnlyNote(decisions).ifPresent(notes::add);

        List<Step> setup = new ArrayList<>();
        context.catalog().runbookObjects().forEach(object -> setup.add(Ddl.removeRunbookObject(object[0], object[1])));
        Optional<Secret> generated = Optional.empty();
        if (spec.createsUser()) {
            CdcRolePlanner.RolePlan role = new CdcRolePlanner(connections).plan(context, spec, tables,
                    schemasOfInterest(spec, tables));
            setup.addAll(role.steps());
            generated = role.generatedPassword();
        }
        List<Step> trigger = EventTriggerPlanner.plan(context, spec, tables);
        UpgradeHold.note(UpgradeHold.heldFor(context.catalog()), context.facts().major(), spec.releaseUpgradeHold())
                .ifPresent(notes::add);
        List<Step> publication = PublicationPlanner.plan(context, spec, tables, notes);
        List<Step> before = concat(setup, trigger);
        Plan plan = new Plan(changes(decisions), concat(before, publication), notes);
        return new Planned(plan, generated, before, publication, concat(concat(setup, publication), trigger));
    }

    /** The tables the spec tracks (with their partitions); fails naming a schema to track that does not exist. */
    static List<TableInfo> trackedTables(EngineContext context, ProvisioningSpec spec, String cdcRole) {
        Catalog catalog = context.catalog();
        if (spec.trackingMode() != TrackingMode.ALL_TABLES) {
            return catalog.tablesWithPartitions(spec.tables(), cdcRole);
        }
        List<String> missing = catalog.missingSchemas(spec.schemas());
        if (!missing.isEmpty()) {
            throw new UnknownObjectException("schema(s) to track do not exist: " + Provisioner.printableList(missing));
        }
        return catalog.tablesInSchemas(spec.schemas(), cdcRole);
    }

    private static List<String> schemasOfInterest(ProvisioningSpec spec, List<TableInfo> tables) {
        return spec.trackingMode() == TrackingMode.ALL_TABLES ? spec.schemas()
                : tables.stream().map(t -> t.name().schema()).distinct().sorted().toList();
    }

    /** The policy's decision for each table; fails, changing nothing, when a table cannot be given a working one. */
    static List<IdentityPolicy.Decision> decide(EngineContext context, List<TableInfo> tables) {
        List<IdentityPolicy.Decision> decisions = IdentityPolicy.decide(context.connection(),
                tables.stream().map(TableInfo::oid).toList());
        IdentityPolicy.requireWorkable(decisions);
        return decisions;
    }

    static List<IdentityPolicy.IdentityChange> changes(List<IdentityPolicy.Decision> decisions) {
        return decisions.stream().map(IdentityPolicy.Decision::change).filter(Objects::nonNull).toList();
    }

    private static List<Step> concat(List<Step> first, List<Step> second) {
        List<Step> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
