package io.cdcenabler.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.reconcile.LifecycleEvent.Kind;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.workflow.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LifecycleEventTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode sample(String name) {
        try {
            return JSON.readTree(FakeRdsWorld.event("lifecycle/" + name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            instance-0011-parameter-group-changed.json | INSTANCE | RDS-EVENT-0011 | orders-db | moved to another parameter group (RDS-EVENT-0011)
            instance-0092-finished-updating.json | INSTANCE | RDS-EVENT-0092 | orders-db | finished updating its configuration (RDS-EVENT-0092)
            instance-0013-failover-started.json | INSTANCE | RDS-EVENT-0013 | orders-multi-az | failover started (RDS-EVENT-0013)
            instance-0049-aurora-member-failover.json | INSTANCE | RDS-EVENT-0049 | orders-aurora-1 | failover completed (RDS-EVENT-0049)
            instance-0006-restarted.json | INSTANCE | RDS-EVENT-0006 | orders-db | restarted (RDS-EVENT-0006)
            instance-0019-point-in-time-restore.json | INSTANCE | RDS-EVENT-0019 | restored-db | restored from a point in time (RDS-EVENT-0019)
            instance-0043-restored-from-snapshot.json | INSTANCE | RDS-EVENT-0043 | restored-db | restored from a snapshot (RDS-EVENT-0043)
            instance-0268-major-upgrade-finished.json | INSTANCE | RDS-EVENT-0268 | orders-db | major version upgrade finished (RDS-EVENT-0268)
            cluster-0071-failover-completed.json | CLUSTER | RDS-EVENT-0071 | orders-aurora | cluster failover completed (RDS-EVENT-0071)
            cluster-0176-engine-upgraded.json | CLUSTER | RDS-EVENT-0176 | orders-aurora | cluster engine upgraded (RDS-EVENT-0176)
            parameter-group-0037-edited.json | PARAMETER_GROUP | RDS-EVENT-0037 | shared-pg16 | a parameter of its DB parameter group was edited (RDS-EVENT-0037)
            cloudtrail-modify-cluster-parameter-group.json | CLUSTER_PARAMETER_GROUP_CALL | ModifyDBClusterParameterGroup | cdc-aurora-pg16 | its DB cluster parameter group was edited (ModifyDBClusterParameterGroup)
            blue-green-0248-switchover-completed.json | BLUE_GREEN | RDS-EVENT-0248 | bgd-wi89nwzglccsfake | Blue/Green switchover completed (RDS-EVENT-0248)
            """)
    void sampleEvent_isReadAsAwsSendsIt(String file, Kind kind, String eventId, String identifier, String reason) {
        LifecycleEvent event = LifecycleEvent.from(sample(file));

        assertThat(event).isEqualTo(new LifecycleEvent(kind, eventId, identifier, reason));
        assertThat(event.ignored()).isFalse();
    }

    @Test
    void parameterGroupEvent_withoutSourceArn_readsSourceIdentifierWithoutTheRdsPrefix() {
        ObjectNode event = (ObjectNode) sample("parameter-group-0037-edited.json");
        ((ObjectNode) event.get("detail")).remove("SourceArn");

        assertThat(LifecycleEvent.from(event).sourceIdentifier()).isEqualTo("shared-pg16");
    }

    @Test
    void noEvent_isTheScheduledRunOfEveryEnrolment() throws Exception {
        for (JsonNode input : new JsonNode[] {null, JSON.nullNode(), JSON.readTree("{}"),
                sample("schedule-scheduler-input.json"), sample("schedule-rule.json")}) {
            LifecycleEvent event = LifecycleEvent.from(input);
            assertThat(event.kind()).as(String.valueOf(input)).isEqualTo(Kind.NONE);
            assertThat(event.reason()).isEqualTo("scheduled reconciliation of every enrolment");
        }
    }

    @Test
    void unknownEventId_isIgnoredWithTheReason() {
        LifecycleEvent event = LifecycleEvent.from(sample("instance-unknown-event-id.json"));

        assertThat(event.ignored()).isTrue();
        assertThat(event.eventId()).isEqualTo("RDS-EVENT-0001");
        assertThat(event.reason()).isEqualTo(
                "ignored: DB instance orders-db: RDS-EVENT-0001 cannot make an enrolment drift");
    }

    @Test
    void failedCloudTrailCall_isIgnored_itChangedNothing() {
        LifecycleEvent event = LifecycleEvent.from(sample("cloudtrail-modify-cluster-parameter-group-failed.json"));

        assertThat(event.ignored()).isTrue();
        assertThat(event.reason()).isEqualTo("ignored: ModifyDBClusterParameterGroup failed with "
                + "InvalidDBParameterGroupState, so it changed nothing");
    }

    @Test
    void cloudTrailCallThatEditsNoClusterParameterGroup_isIgnored() {
        ObjectNode event = (ObjectNode) sample("cloudtrail-modify-cluster-parameter-group.json");
        ((ObjectNode) event.get("detail")).put("eventName", "ModifyDBParameterGroup");

        LifecycleEvent read = LifecycleEvent.from(event);
        assertThat(read.ignored()).isTrue();
        assertThat(read.reason()).contains("ModifyDBParameterGroup edits no DB cluster parameter group");
    }

    @Test
    void resetClusterParameterGroup_isACallToo() {
        ObjectNode event = (ObjectNode) sample("cloudtrail-modify-cluster-parameter-group.json");
        ((ObjectNode) event.get("detail")).put("eventName", "ResetDBClusterParameterGroup");

        assertThat(LifecycleEvent.from(event)).isEqualTo(new LifecycleEvent(Kind.CLUSTER_PARAMETER_GROUP_CALL,
                "ResetDBClusterParameterGroup", "cdc-aurora-pg16",
                "its DB cluster parameter group was reset (ResetDBClusterParameterGroup)"));
    }

    @Test
    void otherRdsDetailTypesAndSources_areIgnored() throws Exception {
        JsonNode snapshot = JSON.readTree("""
                {"detail-type": "RDS DB Snapshot Event", "source": "aws.rds",
                 "detail": {"EventID": "RDS-EVENT-0042", "SourceIdentifier": "snap"}}""");
        JsonNode ec2 = JSON.readTree("""
                {"detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2", "detail": {}}""");

        assertThat(LifecycleEvent.from(snapshot).ignored()).isTrue();
        assertThat(LifecycleEvent.from(ec2).reason()).isEqualTo(
                "ignored: event from aws.ec2 (EC2 Instance State-change Notification) is not an RDS event");
    }

    @Test
    void malformedEvents_areNamedInvalidInput() throws Exception {
        ObjectNode noEventId = (ObjectNode) sample("instance-0006-restarted.json");
        ((ObjectNode) noEventId.get("detail")).remove("EventID");
        ObjectNode noIdentifier = (ObjectNode) sample("cluster-0071-failover-completed.json");
        ((ObjectNode) noIdentifier.get("detail")).remove("SourceIdentifier");
        ObjectNode noGroup = (ObjectNode) sample("cloudtrail-modify-cluster-parameter-group.json");
        ((ObjectNode) noGroup.get("detail")).remove("requestParameters");

        assertThatThrownBy(() -> LifecycleEvent.from(JSON.readTree(
                "{\"detail-type\": \"RDS DB Instance Event\", \"source\": \"aws.rds\"}")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("has no detail object");
        assertThatThrownBy(() -> LifecycleEvent.from(noEventId))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("detail.EventID is missing");
        assertThatThrownBy(() -> LifecycleEvent.from(noIdentifier))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("detail.SourceIdentifier is missing");
        assertThatThrownBy(() -> LifecycleEvent.from(noGroup)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("detail.requestParameters.dBClusterParameterGroupName is missing");
        assertThatThrownBy(() -> LifecycleEvent.from(JSON.readTree("[1]")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("not JSON of type array");
    }
}
