package io.cdcenabler.reconcile;

import io.cdcenabler.rds.RdsErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.BlueGreenDeployment;
import software.amazon.awssdk.services.rds.model.BlueGreenDeploymentNotFoundException;

/**
 * {@link BlueGreenSources} through DescribeBlueGreenDeployments: the identifiers in its Source and Target ARNs
 * (arn:aws:rds:REGION:ACCOUNT:db:NAME or ...:cluster:NAME). Reads only.
 */
public final class RdsBlueGreenSources implements BlueGreenSources {
    private final RdsClient rds;

    public RdsBlueGreenSources(RdsClient rds) {
        this.rds = rds;
    }

    @Override
    public List<String> databasesOf(String deploymentId) {
        List<BlueGreenDeployment> deployments;
        try {
            deployments = RdsErrors.call("DescribeBlueGreenDeployments " + deploymentId,
                    () -> rds.describeBlueGreenDeployments(r -> r.blueGreenDeploymentIdentifier(deploymentId)))
                    .blueGreenDeployments();
        } catch (BlueGreenDeploymentNotFoundException e) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (BlueGreenDeployment deployment : deployments) {
            addName(names, deployment.source());
            addName(names, deployment.target());
        }
        return List.copyOf(names);
    }

    private static void addName(List<String> names, String arn) {
        if (arn != null && arn.contains(":")) {
            String name = arn.substring(arn.lastIndexOf(':') + 1).toLowerCase(Locale.ROOT);
            if (!name.isBlank() && !names.contains(name)) {
                names.add(name);
            }
        }
    }
}
