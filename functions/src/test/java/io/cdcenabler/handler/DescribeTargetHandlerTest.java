package io.cdcenabler.handler;

import static io.cdcenabler.testing.FakeRdsWorld.event;
import static io.cdcenabler.testing.FakeRdsWorld.invoke;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.NotPostgresException;
import io.cdcenabler.workflow.TargetNotFoundException;
import io.cdcenabler.workflow.ThrottledException;
import io.cdcenabler.workflow.WorkflowException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DescribeTargetHandlerTest {
    private final FakeRds rds = FakeRdsWorld.standard();
    private final DescribeTargetHandler handler =
            new DescribeTargetHandler(new TargetResolver(rds, FakeRdsWorld.DEFAULTS));

    @Test
    void instanceCreatedEvent_describesTheInstanceWithEventDefaults() {
        JsonNode target = invoke(handler, event("rds-event-instance-created.json"));

        assertThat(target.path("skipped").asBoolean()).isFalse();
        assertThat(target.path("topology").asText()).isEqualTo("SINGLE_INSTANCE");
        assertThat(target.path("engine").asText()).isEqualTo("postgres");
        assertThat(target.path("engineVersion").asText()).isEqualTo("16.4");
        assertThat(target.path("family").asText()).isEqualTo("postgres16");
        assertThat(target.path("parameterGroupName").asText()).isEqualTo("default.postgres16");
        assertThat(target.path("parameterApplyStatus").asText()).isEqualTo("in-sync");
        assertThat(target.path("writerInstanceIdentifier").asText()).isEqualTo("orders-db");
        assertThat(target.path("endpointHost").asText()).startsWith("orders-db.").doesNotContain("proxy");
        assertThat(target.path("endpointPort").asInt()).isEqualTo(5432);
        assertThat(target.path("database").asText()).isEqualTo("orders");
        assertThat(target.path("masterSecretArn").asText()).isEqualTo(FakeRdsWorld.ORDERS_SECRET);
        JsonNode request = target.path("request");
        assertThat(request.path("instanceIdentifier").asText()).isEqualTo("orders-db");
        assertThat(request.path("publication").asText()).isEqualTo("bemi");
        assertThat(request.path("rebootPolicy").asText()).isEqualTo("IMMEDIATE");
        assertThat(request.path("source").asText()).isEqualTo("aws.rds:RDS-EVENT-0005");
    }

    @Test
    void anOpenBlueGreenDeployment_ofTheTarget_isNamed_withWhatItMeansForCdc_andAFinishedOneIsNot() {
        assertThat(invoke(handler, event("manual-instance.json")).path("blueGreen").isNull()).isTrue();

        rds.addBlueGreenDeployment("bgd-old", "orders-db", "orders-db-green-1", "SWITCHOVER_COMPLETED");
        rds.addBlueGreenDeployment("bgd-open", "orders-db", "orders-db-green-2", "AVAILABLE");
        rds.addBlueGreenDeployment("bgd-other", "billing-db", "billing-db-green", "AVAILABLE");
        String note = invoke(handler, event("manual-instance.json")).path("blueGreen").asText();

        assertThat(note).contains("bgd-open (AVAILABLE)", "cannot be a logical publisher", "do not carry over",
                "RDS-EVENT-0248").doesNotContain("bgd-old", "bgd-other");
        assertThat(rds.calls("DescribeBlueGreenDeployments")).isEqualTo(2);
    }

    @Test
    void retentionCapShare_becomesASizeOfTheInstancesAllocatedStorage() {
        rds.instance("orders-db").allocatedStorage(40);

        JsonNode byDefault = invoke(handler, event("manual-instance.json"));
        JsonNode share = invoke(handler, "{\"instanceIdentifier\": \"orders-db\", \"maxSlotWalKeepSize\": \"50%\"}");
        JsonNode size = invoke(handler, "{\"instanceIdentifier\": \"orders-db\", \"maxSlotWalKeepSize\": \"2TB\"}");
        JsonNode fromEvent = invoke(handler, event("rds-event-instance-created.json"));

        assertThat(byDefault.path("request").path("maxSlotWalKeepSize").asText()).as("20 % of 40 GiB")
                .isEqualTo("8192MB");
        assertThat(share.path("request").path("maxSlotWalKeepSize").asText()).isEqualTo("20480MB");
        assertThat(size.path("request").path("maxSlotWalKeepSize").asText()).isEqualTo("2097152MB");
        assertThat(fromEvent.path("request").path("maxSlotWalKeepSize").asText()).isEqualTo("8192MB");
    }

    @Test
    void retentionCapShare_onAMultiAzDbCluster_isTakenOfTheClustersStorage() {
        JsonNode target = invoke(handler, event("manual-multi-az-cluster.json"));

        assertThat(target.path("topology").asText()).isEqualTo("MULTI_AZ_CLUSTER");
        assertThat(target.path("request").path("maxSlotWalKeepSize").asText()).isEqualTo("20480MB");
    }

    @Test
    void retentionCapShare_onAurora_isRefusedWhenNamed_andLeavesTheCapAloneAsADefault() {
        JsonNode byDefault = invoke(handler, event("manual-aurora-cluster.json"));
        JsonNode fromEvent = invoke(handler, event("rds-event-aurora-writer-created.json"));
        JsonNode size = invoke(handler, "{\"clusterIdentifier\": \"orders-aurora\", \"maxSlotWalKeepSize\": \"100GB\"}");

        assertThat(byDefault.path("request").path("maxSlotWalKeepSize").isNull()).isTrue();
        assertThat(fromEvent.path("skipped").asBoolean()).as(fromEvent.path("skipReason").asText()).isFalse();
        assertThat(fromEvent.path("request").path("maxSlotWalKeepSize").isNull()).isTrue();
        assertThat(size.path("request").path("maxSlotWalKeepSize").asText()).isEqualTo("102400MB");
        assertThatThrownBy(() -> invoke(handler,
                "{\"clusterIdentifier\": \"orders-aurora\", \"maxSlotWalKeepSize\": \"20%\"}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("maxSlotWalKeepSize 20% is a share of allocated storage, which Aurora DB cluster "
                        + "orders-aurora does not have (its storage grows on its own); give a size such as 100GB, "
                        + "or off");
    }

    @Test
    void anInstanceOnAMinorVersionRdsNoLongerOffers_isStillDescribed_manualAndEvent() {
        rds.withdrawVersion("postgres", "16.4");

        JsonNode manual = invoke(handler, event("manual-instance.json"));
        JsonNode fromEvent = invoke(handler, event("rds-event-instance-created.json"));

        assertThat(manual.path("family").asText()).isEqualTo("postgres16");
        assertThat(fromEvent.path("skipped").asBoolean()).as(fromEvent.path("skipReason").asText()).isFalse();
        assertThat(fromEvent.path("family").asText()).isEqualTo("postgres16");
    }

    @Test
    void anIdentifierInAnotherCase_isNormalisedToTheLowerCaseRdsStores() {
        JsonNode target = invoke(handler, "{\"instanceIdentifier\": \"Orders-DB\", \"database\": \"orders\"}");

        assertThat(target.path("request").path("instanceIdentifier").asText()).isEqualTo("orders-db");
        assertThat(target.path("writerInstanceIdentifier").asText()).isEqualTo("orders-db");
    }

    @Test
    void restoreEvents_describeTheRestoredInstance() {
        for (String file : new String[] {"rds-event-instance-restored-from-snapshot.json",
                "rds-event-instance-point-in-time-restore.json"}) {
            JsonNode target = invoke(handler, event(file));

            assertThat(target.path("skipped").asBoolean()).as(file).isFalse();
            assertThat(target.path("family").asText()).isEqualTo("postgres17");
            assertThat(target.path("database").asText()).isEqualTo("postgres");
            assertThat(target.path("masterSecretArn").isNull()).isTrue();
        }
    }

    @Test
    void clusterCreatedEvent_describesTheAuroraClusterAndItsWriter() {
        JsonNode target = invoke(handler, event("rds-event-cluster-created.json"));

        assertThat(target.path("topology").asText()).isEqualTo("AURORA_CLUSTER");
        assertThat(target.path("family").asText()).isEqualTo("aurora-postgresql16");
        assertThat(target.path("parameterGroupName").asText()).isEqualTo("default.aurora-postgresql16");
        assertThat(target.path("writerInstanceIdentifier").asText()).isEqualTo("orders-aurora-1");
        assertThat(target.path("endpointHost").asText()).startsWith("orders-aurora.cluster-");
        assertThat(target.path("masterSecretArn").asText()).isEqualTo(FakeRdsWorld.AURORA_SECRET);
        assertThat(target.path("request").path("clusterIdentifier").asText()).isEqualTo("orders-aurora");
    }

    @Test
    void auroraWriterEvent_describesItsCluster_andReaderEventIsSkipped() {
        JsonNode writer = invoke(handler, event("rds-event-aurora-writer-created.json"));
        JsonNode reader = invoke(handler, event("rds-event-aurora-reader-created.json"));

        assertThat(writer.path("topology").asText()).isEqualTo("AURORA_CLUSTER");
        assertThat(writer.path("request").path("clusterIdentifier").asText()).isEqualTo("orders-aurora");
        assertThat(reader.path("skipped").asBoolean()).isTrue();
        assertThat(reader.path("skipReason").asText()).contains("reader", "orders-aurora");
    }

    @Test
    void auroraClusterEventBeforeItsWriterExists_isSkipped() {
        rds.addAuroraCluster("new-aurora", "16.4", null).tag(FakeRdsWorld.TAG_KEY, "true");

        JsonNode target = invoke(handler, event("rds-event-cluster-created.json").replace("orders-aurora",
                "new-aurora"));

        assertThat(target.path("skipped").asBoolean()).isTrue();
        assertThat(target.path("skipReason").asText()).contains("no writer");
    }

    @Test
    void multiAzClusterEvent_describesAMultiAzDbCluster() {
        JsonNode target = invoke(handler, event("rds-event-multi-az-cluster-created.json"));

        assertThat(target.path("topology").asText()).isEqualTo("MULTI_AZ_CLUSTER");
        assertThat(target.path("family").asText()).isEqualTo("postgres16");
        assertThat(target.path("writerInstanceIdentifier").isNull()).isTrue();
        assertThat(target.path("endpointHost").asText()).startsWith("orders-maz.cluster-");
    }

    @Test
    void events_forWhatIsNotOurs_areSkippedWithTheReason() {
        assertThat(invoke(handler, event("rds-event-mysql-created.json")).path("skipReason").asText())
                .contains("mysql");
        assertThat(invoke(handler, event("rds-event-untagged-created.json")).path("skipReason").asText())
                .contains("opt-in tag cdc-enabler=true");
        assertThat(invoke(handler, event("rds-event-instance-restarted.json")).path("skipReason").asText())
                .contains("RDS-EVENT-0006");
        assertThat(invoke(handler, event("rds-event-deleted-instance-created.json")).path("skipReason").asText())
                .contains("gone-db");
    }

    @Test
    void manualInstance_keepsTheRequestsOptions() {
        JsonNode target = invoke(handler, event("manual-instance.json"));

        assertThat(target.path("topology").asText()).isEqualTo("SINGLE_INSTANCE");
        assertThat(target.path("database").asText()).isEqualTo("orders");
        assertThat(target.path("request").path("schemas")).hasSize(2);
        assertThat(target.path("request").path("source").asText()).isEqualTo("MANUAL");
    }

    @Test
    void manualMultiAzInstance_isAMultiAzInstance() {
        JsonNode target = invoke(handler, "{\"instanceIdentifier\": \"orders-multi-az\"}");

        assertThat(target.path("topology").asText()).isEqualTo("MULTI_AZ_INSTANCE");
        assertThat(target.path("family").asText()).isEqualTo("postgres15");
    }

    @Test
    void manualAuroraWriterInstance_isNormalisedToItsCluster() {
        JsonNode target = invoke(handler, event("manual-aurora-writer-instance.json"));

        assertThat(target.path("topology").asText()).isEqualTo("AURORA_CLUSTER");
        assertThat(target.path("request").path("clusterIdentifier").asText()).isEqualTo("orders-aurora");
        assertThat(target.path("request").path("instanceIdentifier").isNull()).isTrue();
        assertThat(target.path("database").asText()).isEqualTo("orders");
    }

    @Test
    void manualAuroraCluster_describesTheCluster() {
        JsonNode target = invoke(handler, event("manual-aurora-cluster.json"));

        assertThat(target.path("topology").asText()).isEqualTo("AURORA_CLUSTER");
        assertThat(target.path("request").path("tables")).hasSize(2);
    }

    static Stream<Arguments> badManualInputs() {
        return Stream.of(
                Arguments.of("manual-bad-both-identifiers.json", InvalidInputException.class, "exactly one of"),
                Arguments.of("manual-bad-no-identifier.json", InvalidInputException.class, "exactly one of"),
                Arguments.of("manual-bad-identifier-syntax.json", InvalidInputException.class, "instanceIdentifier"),
                Arguments.of("manual-bad-tracking-mode.json", InvalidInputException.class, "trackingMode"),
                Arguments.of("manual-bad-extra-logical-replication.json", InvalidInputException.class,
                        "rds.logical_replication"),
                Arguments.of("manual-bad-reboot-policy.json", InvalidInputException.class, "SOMETIME"),
                Arguments.of("manual-bad-table-name.json", InvalidInputException.class, "unterminated double quote"),
                Arguments.of("manual-bad-cdc-user.json", InvalidInputException.class, "reserved role name"),
                Arguments.of("manual-bad-unknown-field.json", InvalidInputException.class,
                        "unknown field [rebootPolcy]"),
                Arguments.of("manual-bad-wait-seconds.json", InvalidInputException.class,
                        "waitSeconds must be between 5 and 3600, was 1"),
                Arguments.of("manual-bad-not-an-object.json", InvalidInputException.class, "JSON object"),
                Arguments.of("manual-bad-unknown-instance.json", TargetNotFoundException.class, "no-such-db"),
                Arguments.of("manual-bad-unknown-cluster.json", TargetNotFoundException.class, "no-such-cluster"),
                Arguments.of("manual-bad-mysql.json", NotPostgresException.class, "mysql"),
                Arguments.of("manual-bad-no-opt-in-tag.json", InvalidInputException.class, "cdc-enabler=true"),
                Arguments.of("manual-bad-read-replica.json", InvalidInputException.class, "read replica of orders-db"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badManualInputs")
    void badManualInput_failsWithItsNamedError_andChangesNothing(String file, Class<? extends WorkflowException> error,
                                                                 String named) {
        String before = rds.snapshot();

        assertThatThrownBy(() -> invoke(handler, event(file))).isExactlyInstanceOf(error).hasMessageContaining(named);

        assertThat(rds.snapshot()).isEqualTo(before);
    }

    @Test
    void throttledDescribe_isAThrottledException() {
        rds.failNext("DescribeDBInstances", FakeRds.throttling());

        assertThatThrownBy(() -> invoke(handler, event("manual-instance.json")))
                .isInstanceOf(ThrottledException.class).hasMessageContaining("orders-db");
        assertThat(invoke(handler, event("manual-instance.json")).path("skipped").asBoolean()).isFalse();
    }

    @Test
    void eventNotFromRds_isInvalidInput() {
        String input = event("rds-event-instance-created.json").replace("\"aws.rds\"", "\"aws.ec2\"");

        assertThatThrownBy(() -> invoke(handler, input)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("aws.ec2");
    }
}
