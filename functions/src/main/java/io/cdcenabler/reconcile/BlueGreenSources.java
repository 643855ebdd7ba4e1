package io.cdcenabler.reconcile;

import java.util.List;

/**
 * The databases a Blue/Green deployment names. RDS-EVENT-0248 ("Switchover completed on blue/green deployment")
 * carries the deployment's identifier (bgd-...) as its SourceIdentifier, not the database that was switched over.
 */
public interface BlueGreenSources {
    /**
     * The identifiers of the deployment's source and target databases (blue first); empty when the deployment no
     * longer exists. One of them is the name production now runs under.
     */
    List<String> databasesOf(String deploymentId);
}
