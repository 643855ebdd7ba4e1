package io.cdcenabler.reconcile;

import java.util.Objects;

/**
 * One enrolled database a reconciliation run verifies, as an item of the state machine's Map state: small on
 * purpose (a Map's input shares the 256 KB payload limit), so it carries the enrolment's key, not the enrolment.
 *
 * @param identifier the enrolled instance or cluster
 * @param database the enrolled database
 * @param kind the {@link LifecycleEvent.Kind} name of the event that selected it; BLUE_GREEN asks the caller to
 *     re-enrol (a switchover put a new database under the enrolled name), every other kind to verify
 * @param reason why this enrolment is verified, for the run's log and the registry's finding
 */
public record ReconcileTarget(String identifier, String database, String kind, String reason) {
    public ReconcileTarget {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }
}
