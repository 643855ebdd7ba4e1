package io.cdcenabler.rds;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.workflow.ProvisioningRequest;
import org.junit.jupiter.api.Test;

/** The family of an engine version is asked of RDS once per resolver, and again for another version. */
class TargetResolverFamilyTest {
    private final FakeRds rds = FakeRdsWorld.standard();
    private final TargetResolver resolver = new TargetResolver(rds, FakeRdsWorld.DEFAULTS);

    @Test
    void theSameVersion_isDescribedOnce_anotherVersionAgain_andTheFamilyFollowsTheTarget() {
        ProvisioningRequest orders = ProvisioningRequest.builder().instanceIdentifier("orders-db").build();
        ProvisioningRequest billing = ProvisioningRequest.builder().instanceIdentifier("billing-db").build();

        assertThat(resolver.describe(orders).family()).isEqualTo("postgres16");
        assertThat(resolver.describe(billing).family()).isEqualTo("postgres16");
        assertThat(rds.calls("DescribeDBEngineVersions")).as("16.4 once").isEqualTo(1);

        rds.upgradeEngine("orders-db", "17.4");

        assertThat(resolver.describe(orders).family()).isEqualTo("postgres17");
        assertThat(rds.calls("DescribeDBEngineVersions")).as("17.4 is another version").isEqualTo(2);
    }
}
