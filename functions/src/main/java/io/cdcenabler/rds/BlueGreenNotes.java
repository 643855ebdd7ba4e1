package io.cdcenabler.rds;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.BlueGreenDeployment;
import software.amazon.awssdk.services.rds.model.Filter;

/**
 * What an open Blue/Green deployment of a target means for CDC, for DescribeTarget (and from there Verify's checks):
 * the blue database keeps publishing until switchover; the green copy cannot be a logical publisher meanwhile, and
 * replication slots and positions do not carry over to it. After switchover (RDS-EVENT-0248) reconciliation
 * re-enrols the new production database under its name. One DescribeBlueGreenDeployments call with the {@code source}
 * filter; reads only.
 */
final class BlueGreenNotes {
    /** Deployments that are over: nothing to say about them. */
    private static final Set<String> FINISHED = Set.of("SWITCHOVER_COMPLETED", "DELETING");

    private BlueGreenNotes() {
    }

    /** The note for the database {@code arn}, or null when no open deployment has it as its source. */
    static String of(RdsClient rds, String arn) {
        if (arn == null) {
            return null;
        }
        List<BlueGreenDeployment> open = RdsErrors.call("DescribeBlueGreenDeployments source " + arn,
                () -> rds.describeBlueGreenDeployments(r -> r.filters(Filter.builder().name("source").values(arn)
                        .build()))).blueGreenDeployments().stream()
                .filter(d -> !FINISHED.contains(d.status())).toList();
        if (open.isEmpty()) {
            return null;
        }
        String deployments = open.stream().map(d -> d.blueGreenDeploymentIdentifier() + " (" + d.status() + ")")
                .collect(Collectors.joining(", "));
        return "Blue/Green deployment " + deployments + " has this database as its blue (source) database: CDC "
                + "keeps reading the blue database until switchover; the green copy cannot be a logical publisher "
                + "before it, and replication slots and their positions do not carry over, so consumers re-snapshot "
                + "after switchover, when reconciliation re-enrols the new production database under this name "
                + "(RDS-EVENT-0248)";
    }
}
