package io.cdcenabler.reconcile;

import static io.cdcenabler.reconcile.LifecycleEventTest.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.Enrolment.TargetKind;
import io.cdcenabler.registry.EnrolmentResult;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.testing.InMemoryEnrolmentRegistry;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.ProvisioningRequestBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which enrolments each sample event concerns, over the in-memory registry and the standard {@link FakeRds}
 * account (orders-aurora's members orders-aurora-1 and -2 report DBClusterIdentifier orders-aurora).
 */
class AffectedEnrolmentsTest {
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private final FakeRds rds = FakeRdsWorld.standard();
    private final InMemoryEnrolmentRegistry registry = new InMemoryEnrolmentRegistry();
    private final Map<String, List<String>> deployments = new java.util.HashMap<>();
    private final AffectedEnrolments affected = new AffectedEnrolments(registry, new RdsInstanceClusters(rds),
            id -> deployments.getOrDefault(id, List.of()));

    static Enrolment enrolment(TargetKind kind, String identifier, String database, String group) {
        ProvisioningRequestBuilder request = ProvisioningRequest.builder().database(database);
        ProvisioningRequest built = (kind == TargetKind.CLUSTER ? request.clusterIdentifier(identifier)
                : request.instanceIdentifier(identifier)).build();
        return new Enrolment(built, kind, identifier, database, null, group, "16.4", T0, T0, EnrolmentResult.READY,
                null, List.of(), 0);
    }

    @BeforeEach
    void enrol() {
        registry.recordEnrolment(enrolment(TargetKind.INSTANCE, "orders-db", "orders", "cdc-pg16"));
        registry.recordEnrolment(enrolment(TargetKind.INSTANCE, "orders-db", "audit", "cdc-pg16"));
        registry.recordEnrolment(enrolment(TargetKind.INSTANCE, "billing-db", "billing", "shared-pg16"));
        registry.recordEnrolment(enrolment(TargetKind.INSTANCE, "reporting-db", "reports", "shared-pg16"));
        registry.recordEnrolment(enrolment(TargetKind.CLUSTER, "orders-aurora", "orders", "cdc-aurora-pg16"));
        // A cluster whose cluster parameter group has the name of a DB parameter group: groups of the two kinds
        // are separate name spaces, so a DB parameter group event must not select it.
        registry.recordEnrolment(enrolment(TargetKind.CLUSTER, "orders-maz", "orders", "shared-pg16"));
    }

    private List<ReconcileTarget> of(String sample) {
        return affected.of(LifecycleEvent.from(sample(sample)));
    }

    @Test
    void schedule_selectsEveryEnrolment() {
        List<ReconcileTarget> targets = of("schedule-rule.json");

        assertThat(targets).extracting(t -> t.identifier() + "/" + t.database()).containsExactly(
                "billing-db/billing", "orders-aurora/orders", "orders-db/audit", "orders-db/orders",
                "orders-maz/orders", "reporting-db/reports");
        assertThat(targets).allSatisfy(t -> {
            assertThat(t.kind()).isEqualTo("NONE");
            assertThat(t.reason()).isEqualTo("scheduled reconciliation of every enrolment");
        });
        assertThat(rds.calls()).isZero();
    }

    /**
     * The items go into a Map state's input, which shares Step Functions' 256 KB payload limit: the longest item
     * (63-character identifier and database, the longest reason) is 372 bytes of JSON, so 650 of them fit; a
     * schedule's item for a usual name is about 110 bytes.
     */
    @Test
    void items_staySmallForTheMapState() throws Exception {
        String longName = "a".repeat(63);
        ReconcileTarget longest = new ReconcileTarget(longName, longName, "CLUSTER_PARAMETER_GROUP_CALL",
                "DB cluster parameter group " + longName + ": its DB cluster parameter group was edited "
                + "(ModifyDBClusterParameterGroup)");
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

        int one = json.writeValueAsBytes(longest).length;
        int many = json.writeValueAsBytes(java.util.Collections.nCopies(650, longest)).length;
        assertThat(one).isEqualTo(372);
        assertThat(many).isLessThan(256 * 1024);
        assertThat(json.writeValueAsBytes(of("schedule-rule.json")).length).isLessThan(6 * 120);
    }

    @Test
    void instanceEvent_selectsEachDatabaseOfTheInstance_withoutAskingRds() {
        assertThat(of("instance-0011-parameter-group-changed.json")).containsExactly(
                new ReconcileTarget("orders-db", "audit", "INSTANCE",
                        "instance orders-db: moved to another parameter group (RDS-EVENT-0011)"),
                new ReconcileTarget("orders-db", "orders", "INSTANCE",
                        "instance orders-db: moved to another parameter group (RDS-EVENT-0011)"));
        assertThat(rds.calls("DescribeDBInstances")).isZero();
    }

    @Test
    void auroraMemberEvent_selectsTheClusterEnrolment() {
        assertThat(of("instance-0049-aurora-member-failover.json")).containsExactly(
                new ReconcileTarget("orders-aurora", "orders", "INSTANCE",
                        "member orders-aurora-1 of cluster orders-aurora: failover completed (RDS-EVENT-0049)"));
        assertThat(rds.calls("DescribeDBInstances")).isEqualTo(1);
    }

    @Test
    void eventOfAnInstanceNotEnrolled_orNoLongerThere_selectsNothing() {
        assertThat(of("instance-0013-failover-started.json")).isEmpty();
        assertThat(of("instance-0019-point-in-time-restore.json")).isEmpty();
        assertThat(affected.of(new LifecycleEvent(LifecycleEvent.Kind.INSTANCE, "RDS-EVENT-0006", "deleted-db",
                "restarted (RDS-EVENT-0006)"))).isEmpty();
    }

    @Test
    void clusterEvent_selectsTheClusterEnrolment_notAnInstanceOfTheSameName() {
        registry.recordEnrolment(enrolment(TargetKind.INSTANCE, "orders-aurora", "other", "cdc-pg16"));

        assertThat(of("cluster-0176-engine-upgraded.json")).containsExactly(new ReconcileTarget("orders-aurora",
                "orders", "CLUSTER", "cluster orders-aurora: cluster engine upgraded (RDS-EVENT-0176)"));
    }

    @Test
    void parameterGroupEvent_selectsEveryInstanceEnrolledWithTheGroup() {
        assertThat(of("parameter-group-0037-edited.json")).extracting(ReconcileTarget::identifier)
                .containsExactly("billing-db", "reporting-db");
        assertThat(of("parameter-group-0037-edited.json").get(0).reason()).isEqualTo(
                "DB parameter group shared-pg16: a parameter of its DB parameter group was edited (RDS-EVENT-0037)");
    }

    @Test
    void clusterParameterGroupCall_selectsEveryClusterEnrolledWithTheGroup_whateverTheCaseOfTheRequest() {
        assertThat(of("cloudtrail-modify-cluster-parameter-group.json")).containsExactly(new ReconcileTarget(
                "orders-aurora", "orders", "CLUSTER_PARAMETER_GROUP_CALL", "DB cluster parameter group "
                + "cdc-aurora-pg16: its DB cluster parameter group was edited (ModifyDBClusterParameterGroup)"));
    }

    @Test
    void ignoredEvents_selectNothing() {
        assertThat(of("cloudtrail-modify-cluster-parameter-group-failed.json")).isEmpty();
        assertThat(of("instance-unknown-event-id.json")).isEmpty();
        assertThat(rds.calls()).isZero();
    }

    @Test
    void blueGreenSwitchover_selectsTheEnrolmentUnderTheSwitchedName_asBlueGreen() {
        deployments.put("bgd-wi89nwzglccsfake", List.of("orders-db-old1", "orders-db"));

        assertThat(of("blue-green-0248-switchover-completed.json")).extracting(ReconcileTarget::database,
                ReconcileTarget::kind).containsExactly(org.assertj.core.groups.Tuple.tuple("audit", "BLUE_GREEN"),
                org.assertj.core.groups.Tuple.tuple("orders", "BLUE_GREEN"));
        assertThat(of("blue-green-0248-switchover-completed.json").get(0).reason()).isEqualTo(
                "orders-db (Blue/Green deployment bgd-wi89nwzglccsfake): Blue/Green switchover completed "
                + "(RDS-EVENT-0248); re-enrol the new production database");
    }

    @Test
    void blueGreenSwitchover_ofADeploymentNoLongerThere_selectsNothing() {
        assertThat(of("blue-green-0248-switchover-completed.json")).isEmpty();
    }
}
