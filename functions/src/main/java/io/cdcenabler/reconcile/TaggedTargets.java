package io.cdcenabler.reconcile;

import java.util.List;

/** The Region's DB instances and clusters that carry the opt-in tag (PostgreSQL engines, writers' clusters only). */
public interface TaggedTargets {

    /** One tagged target: its identifier and whether it is a DB cluster. */
    record Tagged(String identifier, boolean cluster) {
    }

    /** Every tagged PostgreSQL DB instance that is not a cluster member, and every tagged PostgreSQL DB cluster. */
    List<Tagged> list();
}
