package io.cdcenabler.alarms;

import io.cdcenabler.workflow.Topology;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An enrolled database the guardrail alarms watch: an RDS DB instance (metrics by {@code DBInstanceIdentifier}) or an
 * Aurora PostgreSQL cluster (metrics by {@code DBClusterIdentifier} with {@code Role=WRITER}, because Aurora
 * instances change roles and AWS advises role metrics for alarms).
 *
 * @param kind instance or Aurora cluster
 * @param identifier the DB instance or DB cluster identifier, as RDS stores it (lowercase)
 */
public record AlarmTarget(Kind kind, String identifier) {
    /** RDS identifiers: 1 to 63 letters, digits or hyphens, starting with a letter (RDS stores them lowercase). */
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    /** What the identifier names. */
    public enum Kind {
        INSTANCE("instance"),
        AURORA_CLUSTER("cluster");

        private final String namePart;

        Kind(String namePart) {
            this.namePart = namePart;
        }

        /** The part of the alarm names that keeps an instance and a cluster of the same identifier apart. */
        String namePart() {
            return namePart;
        }
    }

    public AlarmTarget {
        Objects.requireNonNull(kind, "kind");
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("identifier: expected an RDS identifier (1-63 lowercase letters, "
                    + "digits or hyphens, starting with a letter), got " + (identifier == null ? "null"
                    : "'" + identifier + "'"));
        }
    }

    public static AlarmTarget instance(String identifier) {
        return new AlarmTarget(Kind.INSTANCE, identifier);
    }

    public static AlarmTarget auroraCluster(String identifier) {
        return new AlarmTarget(Kind.AURORA_CLUSTER, identifier);
    }

    /**
     * The target for a database of {@code topology}; {@code identifier} is the instance identifier for the instance
     * topologies and the cluster identifier for Aurora. A Multi-AZ DB cluster (not Aurora) is refused: which of the
     * slot metrics RDS publishes for its writer by cluster and role is not established, and an alarm on a metric
     * without data would never fire.
     */
    public static AlarmTarget of(Topology topology, String identifier) {
        return switch (Objects.requireNonNull(topology, "topology")) {
            case SINGLE_INSTANCE, MULTI_AZ_INSTANCE -> instance(identifier);
            case AURORA_CLUSTER -> auroraCluster(identifier);
            case MULTI_AZ_CLUSTER -> throw new IllegalArgumentException("topology: guardrail alarms support DB "
                    + "instances and Aurora clusters, got MULTI_AZ_CLUSTER for '" + identifier + "'");
        };
    }
}
