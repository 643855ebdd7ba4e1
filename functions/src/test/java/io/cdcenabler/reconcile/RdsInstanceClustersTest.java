package io.cdcenabler.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.workflow.ThrottledException;
import org.junit.jupiter.api.Test;

class RdsInstanceClustersTest {
    private final FakeRds rds = FakeRdsWorld.standard();
    private final RdsInstanceClusters clusters = new RdsInstanceClusters(rds);

    @Test
    void auroraAndMultiAzClusterMembers_nameTheirCluster() {
        assertThat(clusters.clusterOf("orders-aurora-1")).contains("orders-aurora");
        assertThat(clusters.clusterOf("orders-aurora-2")).contains("orders-aurora");
        assertThat(clusters.clusterOf("orders-maz-instance-2")).contains("orders-maz");
    }

    @Test
    void standaloneInstance_isInNoCluster() {
        assertThat(clusters.clusterOf("orders-db")).isEmpty();
        assertThat(clusters.clusterOf("orders-multi-az")).isEmpty();
    }

    @Test
    void instanceThatNoLongerExists_isInNoCluster_notAnError() {
        assertThat(clusters.clusterOf("deleted-db")).isEmpty();
        assertThat(rds.calls("DescribeDBInstances")).isEqualTo(1);
    }

    @Test
    void throttling_isTheWorkflowsThrottledError() {
        rds.failNext("DescribeDBInstances", FakeRds.throttling());

        assertThatThrownBy(() -> clusters.clusterOf("orders-aurora-1")).isInstanceOf(ThrottledException.class)
                .hasMessageContaining("DescribeDBInstances orders-aurora-1");
    }
}
