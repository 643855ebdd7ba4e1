package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.PublicationInfo;
import io.cdcenabler.postgres.Catalog.TableInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Plans tracking and untracking single tables of a FOR TABLE (SELECTED_TABLES) publication. */
final class TablePlanner {

    /** The identity changes to make first, then the setup steps; for untrack the FULL tables to reset after. */
    record TablePlan(List<IdentityPolicy.IdentityChange> identityChanges, List<Step> steps,
                     List<TableInfo> resetTables) {
    }

    private TablePlanner() {
    }

    /** REPLICA IDENTITY under the policy, ADD TABLE for the tables not published yet, and the role's USAGE and SELECT. */
    static TablePlan track(EngineContext context, String publication, List<TableName> tables, Optional<String> cdcUser) {
        Catalog catalog = context.catalog();
        PublicationInfo existing = requireSelectedPublication(catalog, publication);
        String role = cdcUser.map(name -> Identifiers.require("cdcUser", name)).orElse(null);
        if (role != null && catalog.role(role) == null) {
            throw new UnknownObjectException("role " + role + " does not exist; provision first");
        }
        List<TableInfo> infos = catalog.tablesWithPartitions(tables, role);
        List<IdentityPolicy.Decision> decisions = ProvisionPlanner.decide(context, infos);
        Ownership.requireForChanges(context.facts(), decisions, "set REPLICA IDENTITY on");
        List<Step> steps = new ArrayList<>();
        List<TableName> toAdd = tables.stream().filter(t -> !existing.tables().contains(t)).toList();
        if (!toAdd.isEmpty()) {
            steps.add(Ddl.addTables(publication, toAdd));
        }
        if (role != null) {
            Set<String> schemas = new TreeSet<>();
            infos.forEach(t -> schemas.add(t.name().schema()));
            steps.addAll(CdcRolePlanner.planRead(context, role,
                    catalog.schemasWithoutUsage(role, List.copyOf(schemas)), infos));
        }
        return new TablePlan(ProvisionPlanner.changes(decisions), steps, List.of());
    }

    /** DROP TABLE from the publication for the tables it publishes; the FULL ones are reset afterwards. */
    static TablePlan untrack(EngineContext context, String publication, List<TableName> tables) {
        Catalog catalog = context.catalog();
        PublicationInfo existing = requireSelectedPublication(catalog, publication);
        List<TableInfo> infos = catalog.tablesWithPartitions(tables, null, "cannot untrack");
        List<TableInfo> full = infos.stream().filter(TableInfo::isFull).toList();
        Ownership.require(context.facts(), full, "set REPLICA IDENTITY DEFAULT on");
        List<TableName> toDrop = tables.stream().filter(existing.tables()::contains).toList();
        List<Step> steps = toDrop.isEmpty() ? List.of() : List.of(Ddl.dropTables(publication, toDrop));
        return new TablePlan(List.of(), steps, full);
    }

    private static PublicationInfo requireSelectedPublication(Catalog catalog, String publication) {
        Identifiers.require("publication", publication);
        PublicationInfo existing = catalog.publication(publication);
        if (existing == null) {
            throw new UnknownObjectException("publication " + publication + " does not exist; provision it first "
                    + "with tracking mode SELECTED_TABLES");
        }
        if (existing.allTables() || existing.schemaPublication()) {
            throw new ConflictingStateException("publication " + publication + " is FOR ALL TABLES or FOR TABLES IN "
                    + "SCHEMA: every table of its schemas is "
                    + "tracked already; track and untrack apply to SELECTED_TABLES publications");
        }
        return existing;
    }
}
