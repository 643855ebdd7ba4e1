package io.cdcenabler.reconcile;

import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.Enrolment.TargetKind;
import io.cdcenabler.registry.EnrolmentRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The enrolments a {@link LifecycleEvent} concerns, each with the reason it is verified: a schedule concerns every
 * enrolment; an instance event the instance's enrolment or, for a cluster member, its cluster's; a cluster event the
 * cluster's; a DB parameter group edit every instance enrolled with that group; a DB cluster parameter group call
 * every cluster enrolled with that group; a Blue/Green switchover the enrolment under the switched name. A target
 * that is not enrolled, and an ignored event, concern none. Reads only.
 */
public final class AffectedEnrolments {
    private final EnrolmentRegistry registry;
    private final InstanceClusters clusters;
    private final BlueGreenSources blueGreen;

    public AffectedEnrolments(EnrolmentRegistry registry, InstanceClusters clusters, BlueGreenSources blueGreen) {
        this.registry = registry;
        this.clusters = clusters;
        this.blueGreen = blueGreen;
    }

    /** The enrolments to verify (or, kind BLUE_GREEN, to re-enrol) after {@code event}, in registry order. */
    public List<ReconcileTarget> of(LifecycleEvent event) {
        return switch (event.kind()) {
            case NONE -> targets(event, registry.list(), event.reason());
            case IGNORED -> List.of();
            case INSTANCE -> instance(event);
            case CLUSTER -> targets(event, enrolled(event.sourceIdentifier(), TargetKind.CLUSTER),
                    "cluster " + event.sourceIdentifier() + ": " + event.reason());
            case PARAMETER_GROUP -> targets(event, withGroup(event.sourceIdentifier(), TargetKind.INSTANCE),
                    "DB parameter group " + event.sourceIdentifier() + ": " + event.reason());
            case CLUSTER_PARAMETER_GROUP_CALL -> targets(event, withGroup(event.sourceIdentifier(),
                    TargetKind.CLUSTER), "DB cluster parameter group " + event.sourceIdentifier() + ": "
                    + event.reason());
            case BLUE_GREEN -> blueGreen(event);
        };
    }

    private List<ReconcileTarget> instance(LifecycleEvent event) {
        String instance = event.sourceIdentifier();
        List<Enrolment> own = enrolled(instance, TargetKind.INSTANCE);
        if (!own.isEmpty()) {
            return targets(event, own, "instance " + instance + ": " + event.reason());
        }
        Optional<String> cluster = clusters.clusterOf(instance);
        if (cluster.isEmpty()) {
            return List.of();
        }
        return targets(event, enrolled(cluster.get(), TargetKind.CLUSTER),
                "member " + instance + " of cluster " + cluster.get() + ": " + event.reason());
    }

    private List<ReconcileTarget> blueGreen(LifecycleEvent event) {
        List<ReconcileTarget> targets = new ArrayList<>();
        for (String name : blueGreen.databasesOf(event.sourceIdentifier())) {
            List<Enrolment> enrolments = registry.listFor(name);
            targets.addAll(targets(event, enrolments, name + " (Blue/Green deployment " + event.sourceIdentifier()
                    + "): " + event.reason() + "; re-enrol the new production database"));
        }
        return List.copyOf(targets);
    }

    private List<Enrolment> enrolled(String identifier, TargetKind kind) {
        return registry.listFor(identifier).stream().filter(e -> e.kind() == kind).toList();
    }

    /** Group names compare without case: RDS stores them in lower case, a CloudTrail request has them as typed. */
    private List<Enrolment> withGroup(String group, TargetKind kind) {
        Predicate<Enrolment> uses = e -> e.kind() == kind && e.parameterGroupName() != null
                && e.parameterGroupName().equalsIgnoreCase(group);
        return registry.list().stream().filter(uses).toList();
    }

    private static List<ReconcileTarget> targets(LifecycleEvent event, List<Enrolment> enrolments, String reason) {
        return enrolments.stream().map(e -> new ReconcileTarget(e.identifier(), e.database(), event.kind().name(),
                reason)).toList();
    }
}
