package io.cdcenabler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.UpgradeTarget;

/** The fake behaves as RDS does where the product depends on it. */
class FakeRdsTest {
    private final FakeRds rds = FakeRdsWorld.standard();

    private static Parameter logicalReplication(ApplyMethod method) {
        return Parameter.builder().parameterName("rds.logical_replication").parameterValue("1").applyMethod(method)
                .build();
    }

    @Test
    void defaultGroup_refusesChangesWithAwsError() {
        assertThatThrownBy(() -> rds.modifyDBParameterGroup(r -> r.dbParameterGroupName("default.postgres16")
                .parameters(logicalReplication(ApplyMethod.PENDING_REBOOT))))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Cannot modify a default parameter group.");
                });
    }

    @Test
    void staticParameter_refusesImmediate_andChangesNothing() {
        String before = rds.snapshot();

        assertThatThrownBy(() -> rds.modifyDBParameterGroup(r -> r.dbParameterGroupName("shared-pg16")
                .parameters(logicalReplication(ApplyMethod.IMMEDIATE))))
                .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                        .isEqualTo("cannot use immediate apply method for static parameter"));
        assertThat(rds.snapshot()).isEqualTo(before);
    }

    @Test
    void modifyingASharedGroup_putsEveryUserPendingReboot() {
        rds.modifyDBParameterGroup(r -> r.dbParameterGroupName("shared-pg16")
                .parameters(logicalReplication(ApplyMethod.PENDING_REBOOT)));

        assertThat(rds.instance("billing-db").applyStatus()).isEqualTo("pending-reboot");
        assertThat(rds.instance("reporting-db").applyStatus()).isEqualTo("pending-reboot");
        assertThat(rds.instance("orders-db").applyStatus()).isEqualTo("in-sync");
    }

    @Test
    void reboot_showsRebootingForSomeDescribes_thenAvailableAndInSync() {
        rds.modifyDBParameterGroup(r -> r.dbParameterGroupName("shared-pg16")
                .parameters(logicalReplication(ApplyMethod.PENDING_REBOOT)));
        rds.rebootDBInstance(r -> r.dbInstanceIdentifier("billing-db"));

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < FakeRds.REBOOTING_DESCRIBES + 1; i++) {
            var instance = rds.describeDBInstances(r -> r.dbInstanceIdentifier("billing-db")).dbInstances().get(0);
            seen.add(instance.dbInstanceStatus() + "/" + instance.dbParameterGroups().get(0).parameterApplyStatus());
        }

        assertThat(seen).containsExactly("rebooting/pending-reboot", "available/in-sync", "available/in-sync");
        assertThatThrownBy(() -> rds.rebootDBInstance(r -> r.dbInstanceIdentifier("orders-db").forceFailover(true)))
                .isInstanceOf(AwsServiceException.class).hasMessageContaining("Multi-AZ");
    }

    @Test
    void listing_isPaginated() {
        List<String> ids = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            DescribeDbInstancesResponse response = rds.describeDBInstances(r -> r.marker(page));
            assertThat(response.dbInstances()).hasSizeLessThanOrEqualTo(2);
            response.dbInstances().forEach(i -> ids.add(i.dbInstanceIdentifier()));
            marker = response.marker();
        } while (marker != null);

        assertThat(ids).contains("orders-db", "orders-aurora-1", "orders-maz-instance-3", "restored-db")
                .doesNotHaveDuplicates();
    }

    @Test
    void familyComesFromTheEngineVersion() {
        assertThat(rds.describeDBEngineVersions(r -> r.engine("aurora-postgresql").engineVersion("13.12"))
                .dbEngineVersions().get(0).dbParameterGroupFamily()).isEqualTo("aurora-postgresql13");
        assertThat(rds.describeDBEngineVersions(r -> r.engine("postgres").engineVersion("12.19"))
                .dbEngineVersions()).isEmpty();
    }

    @Test
    void parameterChange_showsInSyncThenApplyingBeforePendingReboot_asRdsAppliesItAsynchronously() {
        rds.modifyDBParameterGroup(r -> r.dbParameterGroupName("shared-pg16")
                .parameters(logicalReplication(ApplyMethod.PENDING_REBOOT)));

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < FakeRds.STALE_DESCRIBES + FakeRds.APPLYING_DESCRIBES + 1; i++) {
            seen.add(rds.describeDBInstances(r -> r.dbInstanceIdentifier("billing-db")).dbInstances().get(0)
                    .dbParameterGroups().get(0).parameterApplyStatus());
        }

        assertThat(seen).containsExactly("in-sync", "applying", "applying", "pending-reboot");
    }

    @Test
    void attachedGroup_showsUpADescribeLate() {
        rds.addDbParameterGroup("other-pg16", "postgres16", java.util.Map.of());
        rds.modifyDBInstance(r -> r.dbInstanceIdentifier("orders-db").dbParameterGroupName("other-pg16"));

        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var group = rds.describeDBInstances(r -> r.dbInstanceIdentifier("Orders-DB")).dbInstances().get(0)
                    .dbParameterGroups().get(0);
            seen.add(group.dbParameterGroupName() + "/" + group.parameterApplyStatus());
        }

        assertThat(seen).containsExactly("default.postgres16/in-sync", "other-pg16/applying", "other-pg16/applying",
                "other-pg16/pending-reboot");
    }

    @Test
    void multiAzDbCluster_takesANewGroupOnlyWithApplyImmediately() {
        rds.addClusterParameterGroup("maz-pg16", "postgres16", java.util.Map.of());

        rds.modifyDBCluster(r -> r.dbClusterIdentifier("orders-maz").dbClusterParameterGroupName("maz-pg16"));
        assertThat(rds.cluster("orders-maz").parameterGroup()).isEqualTo("default.postgres16");

        rds.modifyDBCluster(r -> r.dbClusterIdentifier("orders-maz").dbClusterParameterGroupName("maz-pg16")
                .applyImmediately(true));
        assertThat(rds.cluster("orders-maz").parameterGroup()).isEqualTo("maz-pg16");
    }

    @Test
    void withdrawnVersion_isListedOnlyWithIncludeAll() {
        rds.withdrawVersion("postgres", "16.4");

        assertThat(rds.describeDBEngineVersions(r -> r.engine("postgres").engineVersion("16.4")).dbEngineVersions())
                .isEmpty();
        assertThat(rds.describeDBEngineVersions(r -> r.engine("postgres").engineVersion("16.4").includeAll(true))
                .dbEngineVersions().get(0).dbParameterGroupFamily()).isEqualTo("postgres16");
    }

    @Test
    void engineVersions_listHigherMinorsAndHigherMajorsAsUpgradeTargets() {
        FakeRds rds = new FakeRds();

        List<UpgradeTarget> targets = rds.describeDBEngineVersions(r -> r.engine("postgres").engineVersion("16.4")
                .includeAll(true)).dbEngineVersions().get(0).validUpgradeTarget();

        assertThat(targets).extracting(UpgradeTarget::engineVersion)
                .containsExactly("16.8", "17.2", "17.4", "17.6", "18.1");
        assertThat(targets).filteredOn(UpgradeTarget::isMajorVersionUpgrade).extracting(UpgradeTarget::engineVersion)
                .doesNotContain("16.8");
        assertThat(FakeRds.familyOf("aurora-postgresql", "18.1")).isEqualTo("aurora-postgresql18");
        assertThat(rds.describeDBEngineVersions(r -> r.engine("mysql").engineVersion("8.0.39")).dbEngineVersions()
                .get(0).validUpgradeTarget()).isEmpty();
    }
}
