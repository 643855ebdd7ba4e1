package io.cdcenabler.steps;

import io.cdcenabler.postgres.ConnectionSource;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.workflow.TargetDescription;

/** Opens connections to the target's database as a given admin login: the test seam for the TLS connection. */
@FunctionalInterface
public interface TargetConnections {
    ConnectionSource open(TargetDescription target, String adminUser, Secret adminPassword);
}
