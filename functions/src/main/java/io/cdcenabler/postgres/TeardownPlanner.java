package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.PublicationInfo;
import io.cdcenabler.postgres.Catalog.TableInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Plans teardown: the event trigger (or the publication's part of its configuration), the publication, optionally
 * the CDC role with its privileges in this database, and the tables to set back to REPLICA IDENTITY DEFAULT.
 */
final class TeardownPlanner {

    /** The steps, then the tables at FULL to reset (empty unless asked for); ownership of those was checked. */
    record TeardownPlan(List<Step> steps, List<TableInfo> resetTables) {
    }

    private TeardownPlanner() {
    }

    static TeardownPlan plan(EngineContext context, Provisioner.TeardownOptions options) {
        Catalog catalog = context.catalog();
        List<Step> steps = new ArrayList<>(EventTriggerPlanner.planRemoval(context, options.publication()));
        PublicationInfo publication = catalog.publication(options.publication());
        List<TableInfo> scope = scope(catalog, publication, options.schemas());
        if (publication != null) {
            steps.add(Ddl.dropPublication(options.publication()));
        }
        options.dropUser().ifPresent(role -> steps.addAll(CdcRolePlanner.planDrop(context, role, options.schemas(),
                scope)));
        List<TableInfo> full = options.resetReplicaIdentity()
                ? scope.stream().filter(TableInfo::isFull).toList() : List.of();
        Ownership.require(context.facts(), full, "set REPLICA IDENTITY DEFAULT on");
        return new TeardownPlan(steps, full);
    }

    /** The publication's tables when it is FOR TABLE, else the tables of the given schemas that exist. */
    private static List<TableInfo> scope(Catalog catalog, PublicationInfo publication, List<String> schemas) {
        if (publication != null && !publication.allTables() && !publication.schemaPublication()) {
            return publication.tables().isEmpty() ? List.of()
                    : catalog.tablesWithPartitions(List.copyOf(publication.tables()), null);
        }
        List<String> present = new ArrayList<>(schemas);
        present.removeAll(catalog.missingSchemas(schemas));
        return catalog.tablesInSchemas(present, null);
    }
}
