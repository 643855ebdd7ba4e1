package io.cdcenabler.postgres;

import io.cdcenabler.postgres.IdentityPolicy.IdentityChange;
import java.util.ArrayList;
import java.util.List;

/**
 * What provisioning would do, computed from the catalogs without changing anything: the tables whose replica
 * identity changes under the policy ({@link IdentityPolicy}; in committed batches under the lock timeout), then the
 * setup statements (the event trigger before the publication).
 */
public record Plan(List<IdentityChange> identityChanges, List<Step> setup, List<String> notes) {

    public Plan {
        identityChanges = List.copyOf(identityChanges);
        setup = List.copyOf(setup);
        notes = List.copyOf(notes);
    }

    /** The tables whose replica identity changes. */
    public List<TableName> replicaIdentityTables() {
        return identityChanges.stream().map(IdentityChange::table).toList();
    }

    public boolean isEmpty() {
        return identityChanges.isEmpty() && setup.isEmpty();
    }

    /** Every change, in the order it would be made. */
    public List<Change> changes() {
        List<Change> changes = new ArrayList<>();
        identityChanges.forEach(change -> changes.add(change.change()));
        setup.forEach(step -> changes.add(step.change()));
        return changes;
    }

    /** Every statement, in the order it would run. */
    public List<String> statements() {
        List<String> statements = new ArrayList<>();
        identityChanges.forEach(change -> statements.add(change.alterStatement()));
        setup.forEach(step -> statements.add(step.displaySql()));
        return statements;
    }
}
