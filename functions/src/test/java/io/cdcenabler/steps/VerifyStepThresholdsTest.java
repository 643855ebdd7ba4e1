package io.cdcenabler.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.postgres.SlotThresholds;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.Topology;
import org.junit.jupiter.api.Test;

/** The Verify step judges slots against the target's own storage when RDS reports it. */
class VerifyStepThresholdsTest {

    @Test
    void anInstanceOf200GiB_warnsAt10PercentAndFailsAt25Percent() {
        SlotThresholds thresholds = VerifyStep.slotThresholds(target(Topology.SINGLE_INSTANCE, 200));

        assertThat(thresholds.warnBytes()).isEqualTo(20L << 30);
        assertThat(thresholds.failBytes()).isEqualTo(50L << 30);
    }

    @Test
    void withoutAllocatedStorage_asOnAurora_theAbsoluteDefaultsApply() {
        SlotThresholds thresholds = VerifyStep.slotThresholds(target(Topology.AURORA_CLUSTER, null));

        assertThat(thresholds.warnBytes()).isEqualTo(SlotThresholds.DEFAULT.warnBytes());
        assertThat(thresholds.failBytes()).isEqualTo(SlotThresholds.DEFAULT.failBytes());
    }

    private static TargetDescription target(Topology topology, Integer gib) {
        ProvisioningRequest request = ProvisioningRequest.builder().instanceIdentifier("orders-db").database("app")
                .build();
        return new TargetDescription(false, null, request, topology, "postgres", "17.6", "postgres17",
                "cdc-enabler-postgres17", "in-sync", "orders-db", "orders-db.abc123.us-east-1.rds.amazonaws.com",
                5432, "app", null, gib, null);
    }
}
