package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.ServerFacts;
import java.sql.Connection;

/**
 * What every planner and every change of one operation works with: the admin connection, its catalogs, the server's
 * facts (checked to be a supported version), the lock policy and where progress goes.
 */
record EngineContext(Connection connection, Catalog catalog, ServerFacts facts, LockPolicy lockPolicy,
                     ProgressListener progress) {
    static final int MINIMUM_MAJOR = 13;

    /** Reads the server's facts; fails with a clear message on a server older than {@value #MINIMUM_MAJOR}. */
    static EngineContext open(Connection connection, LockPolicy lockPolicy, ProgressListener progress) {
        Catalog catalog = new Catalog(connection);
        ServerFacts facts = catalog.serverFacts();
        if (facts.major() < MINIMUM_MAJOR) {
            throw new InvalidSpecException("PostgreSQL " + MINIMUM_MAJOR + " or newer is required (as on RDS today); "
                    + "the server runs " + facts.versionNum());
        }
        return new EngineContext(connection, catalog, facts, lockPolicy, progress);
    }

    ReplicaIdentityPass identityPass() {
        return new ReplicaIdentityPass(lockPolicy, progress);
    }
}
