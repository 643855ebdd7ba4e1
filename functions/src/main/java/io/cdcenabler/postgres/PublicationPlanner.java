package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.PublicationInfo;
import io.cdcenabler.postgres.Catalog.TableInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Plans the publication: created FOR TABLE, FOR TABLES IN SCHEMA (15+, where the admin may) or FOR ALL TABLES, or an
 * existing one checked to be of the asked kind and brought up to its options, schemas and tables.
 */
final class PublicationPlanner {
    private final EngineContext context;
    private final ProvisioningSpec spec;
    private final List<TableInfo> tables;
    private final List<String> notes;
    private final List<Step> steps = new ArrayList<>();
    private final boolean allTables;
    private final String options;

    private PublicationPlanner(EngineContext context, ProvisioningSpec spec, List<TableInfo> tables,
                               List<String> notes) {
        this.context = context;
        this.spec = spec;
        this.tables = tables;
        this.notes = notes;
        this.allTables = spec.trackingMode() == TrackingMode.ALL_TABLES;
        this.options = "publish = 'insert, update, delete, truncate', publish_via_partition_root = "
                + spec.publishViaPartitionRoot() + (generatedColumns() ? ", publish_generated_columns = stored" : "");
    }

    /** The steps that create or complete the publication; what the user should know goes to {@code notes}. */
    static List<Step> plan(EngineContext context, ProvisioningSpec spec, List<TableInfo> tables, List<String> notes) {
        PublicationPlanner planner = new PublicationPlanner(context, spec, tables, notes);
        PublicationInfo existing = context.catalog().publication(spec.publication());
        if (existing == null) {
            planner.create();
        } else {
            planner.complete(existing);
        }
        return planner.steps;
    }

    private boolean generatedColumns() {
        return context.facts().major() >= 18;
    }

    private void create() {
        String target;
        if (!allTables) {
            target = "FOR TABLE " + spec.tables().stream().map(TableName::quoted).collect(Collectors.joining(", "));
        } else if (context.facts().major() >= 15
                && Publications.mayCreateSchemaPublication(context.connection(), spec.schemas())) {
            target = "FOR TABLES IN SCHEMA " + spec.schemas().stream().map(Identifiers::quote)
                    .collect(Collectors.joining(", "));
        } else {
            Publications.requireOthersSafeUnderAllTables(context.catalog(), spec.schemas());
            target = "FOR ALL TABLES";
            notes.add(Publications.ALL_TABLES_NOTE);
        }
        steps.add(Ddl.createPublication(spec.publication(), target, options, allTables));
    }

    private void complete(PublicationInfo existing) {
        requireSameKind(existing);
        String name = spec.publication();
        if (existing.viaRoot() != spec.publishViaPartitionRoot() || !existing.publishesAllOperations()
                || (generatedColumns() && !"s".equals(existing.generatedColumns()) && context.catalog()
                .hasStoredGeneratedColumns(tables.stream().map(TableInfo::oid).toList()))) {
            steps.add(Ddl.setPublicationOptions(name, options));
        }
        if (allTables && existing.schemaPublication()) {
            List<String> missing = spec.schemas().stream().filter(s -> !existing.schemas().contains(s)).toList();
            if (!missing.isEmpty()) {
                steps.add(Ddl.addSchemas(name, missing));
            }
        } else if (allTables) {
            notes.add(Publications.ALL_TABLES_NOTE);
        } else {
            completeTables(existing);
        }
        if (!existing.owner().equals(context.facts().currentUser()) && !context.facts().superuser()) {
            notes.add("publication " + name + " is owned by " + existing.owner());
        }
    }

    private void requireSameKind(PublicationInfo existing) {
        String name = spec.publication();
        boolean existingCovers = existing.allTables() || existing.schemaPublication();
        if (allTables != existingCovers || (allTables && existing.schemaPublication() && !existing.tables().isEmpty())) {
            throw new ConflictingStateException("publication " + name + " exists as "
                    + (existingCovers ? "FOR ALL TABLES or FOR TABLES IN SCHEMA"
                    : "FOR TABLE (" + existing.tables().size() + " tables)")
                    + " but " + spec.trackingMode() + " was asked for; a publication cannot change between the two. "
                    + "Tear it down first (CDC clients reading it must resync), or use another publication name.");
        }
        if (!allTables && !existing.ours()) {
            List<TableName> toAdd = missingTables(existing);
            if (!toAdd.isEmpty()) {
                throw new ConflictingStateException("publication " + name + " exists and was not created by "
                        + "cdc-enabler: adding " + Provisioner.abbreviate(toAdd) + " would start sending their rows "
                        + "to its consumers. Use another publication name, or add them deliberately with the track "
                        + "command. Nothing was changed.");
            }
        }
    }

    private void completeTables(PublicationInfo existing) {
        List<TableName> toAdd = missingTables(existing);
        if (!toAdd.isEmpty()) {
            steps.add(Ddl.addTables(spec.publication(), toAdd));
        }
        Set<TableName> extra = new TreeSet<>(existing.tables());
        spec.tables().forEach(extra::remove);
        if (!extra.isEmpty()) {
            notes.add("publication " + spec.publication() + " also tracks " + Provisioner.abbreviate(List.copyOf(extra))
                    + " (left as they are; untrack them to remove)");
        }
    }

    private List<TableName> missingTables(PublicationInfo existing) {
        return spec.tables().stream().filter(t -> !existing.tables().contains(t)).toList();
    }
}
