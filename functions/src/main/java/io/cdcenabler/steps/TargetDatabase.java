package io.cdcenabler.steps;

import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.TargetDescription;

/** What Provision, Verify and the TLS connection need to know of the target's database, checked in one place. */
public final class TargetDatabase {
    private TargetDatabase() {
    }

    /** The database to provision: the one DescribeTarget resolved, else the request's. */
    public static String databaseOf(TargetDescription target) {
        String database = target.database() != null ? target.database() : target.request().database();
        if (database == null || database.isBlank()) {
            throw new InvalidInputException("target.database and target.request.database are both empty: name the "
                    + "database to provision");
        }
        return database;
    }

    /** Fails with an {@link InvalidInputException} unless the target names a writer endpoint host and port. */
    public static void requireEndpoint(TargetDescription target) {
        if (target.endpointHost() == null || target.endpointHost().isBlank() || target.endpointPort() < 1
                || target.endpointPort() > 65535) {
            throw new InvalidInputException("target.endpointHost and target.endpointPort must name the writer "
                    + "endpoint, were " + target.endpointHost() + " and " + target.endpointPort());
        }
    }
}
