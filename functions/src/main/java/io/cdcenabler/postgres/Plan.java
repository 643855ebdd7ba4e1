package io.cdcenabler.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * What provisioning would do, computed from the catalogs without changing anything: the tables whose replica
 * identity changes (in committed batches under the lock timeout), then the setup statements (one transaction).
 */
public record Plan(List<TableName> replicaIdentityTables, List<Step> setup, List<String> notes) {

    public Plan {
        replicaIdentityTables = List.copyOf(replicaIdentityTables);
        setup = List.copyOf(setup);
        notes = List.copyOf(notes);
    }

    public boolean isEmpty() {
        return replicaIdentityTables.isEmpty() && setup.isEmpty();
    }

    /** Every change, in the order it would be made. */
    public List<Change> changes() {
        List<Change> changes = new ArrayList<>();
        replicaIdentityTables.forEach(t -> changes.add(new Change("set REPLICA IDENTITY FULL on", t.toString())));
        setup.forEach(step -> changes.add(step.change()));
        return changes;
    }

    /** Every statement, in the order it would run. */
    public List<String> statements() {
        List<String> statements = new ArrayList<>();
        replicaIdentityTables.forEach(t -> statements.add(ReplicaIdentity.FULL.alterStatement(t)));
        setup.forEach(step -> statements.add(step.displaySql()));
        return statements;
    }
}
