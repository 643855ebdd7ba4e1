package io.cdcenabler.steps;

import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.WorkflowState;

/** What Provision, Verify and the TLS connection need to know of the target's database, checked in one place. */
public final class TargetDatabase {
    private TargetDatabase() {
    }

    /** The target of a state with its database (endpoint checked) and the engine's spec for its request. */
    public record Resolved(TargetDescription target, String database, ProvisioningSpec spec) {
    }

    /** What Provision and Verify both start from; fails naming the field when the state cannot be one. */
    public static Resolved resolve(WorkflowState state) {
        TargetDescription target = state.requireTarget();
        String database = databaseOf(target);
        requireEndpoint(target);
        return new Resolved(target, database, ProvisioningSpecs.of(target.request()));
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
