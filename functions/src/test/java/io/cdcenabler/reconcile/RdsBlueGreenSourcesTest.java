package io.cdcenabler.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.BlueGreenDeployment;
import software.amazon.awssdk.services.rds.model.BlueGreenDeploymentNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeBlueGreenDeploymentsRequest;
import software.amazon.awssdk.services.rds.model.DescribeBlueGreenDeploymentsResponse;

/**
 * FakeRds models no Blue/Green deployment (DescribeBlueGreenDeployments is not one of its operations, and it may not
 * be changed here), so this test answers that one call from a deployment it holds, as RDS shapes the answer.
 */
class RdsBlueGreenSourcesTest {
    private static final String ARN = "arn:aws:rds:eu-west-1:123456789012:";
    private final List<String> asked = new ArrayList<>();

    private RdsClient rdsWith(BlueGreenDeployment deployment) {
        return new RdsClient() {
            @Override
            public DescribeBlueGreenDeploymentsResponse describeBlueGreenDeployments(
                    DescribeBlueGreenDeploymentsRequest request) {
                asked.add(request.blueGreenDeploymentIdentifier());
                if (deployment == null || !deployment.blueGreenDeploymentIdentifier()
                        .equals(request.blueGreenDeploymentIdentifier())) {
                    throw (BlueGreenDeploymentNotFoundException) BlueGreenDeploymentNotFoundException.builder()
                            .statusCode(404).awsErrorDetails(AwsErrorDetails.builder()
                                    .errorCode("BlueGreenDeploymentNotFoundFault")
                                    .errorMessage("BlueGreenDeploymentIdentifier "
                                            + request.blueGreenDeploymentIdentifier() + " not found").build())
                            .build();
                }
                return DescribeBlueGreenDeploymentsResponse.builder().blueGreenDeployments(deployment).build();
            }

            @Override
            public String serviceName() {
                return "rds";
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void switchedOverDeployment_namesSourceThenTarget() {
        BlueGreenDeployment deployment = BlueGreenDeployment.builder().blueGreenDeploymentIdentifier("bgd-abc")
                .source(ARN + "db:orders-db-old1").target(ARN + "db:orders-db").status("SWITCHOVER_COMPLETED")
                .build();

        assertThat(new RdsBlueGreenSources(rdsWith(deployment)).databasesOf("bgd-abc"))
                .containsExactly("orders-db-old1", "orders-db");
        assertThat(asked).containsExactly("bgd-abc");
    }

    @Test
    void clusterDeployment_namesTheClusters() {
        BlueGreenDeployment deployment = BlueGreenDeployment.builder().blueGreenDeploymentIdentifier("bgd-def")
                .source(ARN + "cluster:orders-aurora").target(ARN + "cluster:orders-aurora-green-x1y2z3").build();

        assertThat(new RdsBlueGreenSources(rdsWith(deployment)).databasesOf("bgd-def"))
                .containsExactly("orders-aurora", "orders-aurora-green-x1y2z3");
    }

    @Test
    void deploymentNoLongerThere_namesNothing() {
        assertThat(new RdsBlueGreenSources(rdsWith(null)).databasesOf("bgd-gone")).isEmpty();
    }
}
