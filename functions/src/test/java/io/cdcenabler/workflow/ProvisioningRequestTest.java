package io.cdcenabler.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.handler.Json;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request's own rules that protect the execution (its history limit, RDS's lower-case identifiers), its defaults,
 * its builder, and its modes as the console's JSON writes them.
 */
class ProvisioningRequestTest {
    private static ProvisioningRequest request(String instance, String cluster, Integer waitSeconds,
                                               Integer waitTimeoutMinutes) {
        return ProvisioningRequest.builder().instanceIdentifier(instance).clusterIdentifier(cluster)
                .waitSeconds(waitSeconds).waitTimeoutMinutes(waitTimeoutMinutes).build();
    }

    @Test
    void waitSecondsTimesWaitTimeout_beyondTheExecutionHistory_isRefusedNamingBothFields() {
        assertThatThrownBy(() -> request("orders-db", null, 5, 10080))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("waitTimeoutMinutes=10080").hasMessageContaining("waitSeconds=5")
                .hasMessageContaining("25000-event history").hasMessageContaining("at least 227");
        assertThatThrownBy(() -> request("orders-db", null, 30, 1400)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void combinationsThatFit_areAccepted_upToTheLastCheckThatFits() {
        assertThat(request("orders-db", null, null, null).maxStatusChecks()).isEqualTo(240);
        assertThat(request("orders-db", null, 30, 1333).maxStatusChecks())
                .isEqualTo(ProvisioningRequest.MAX_STATUS_CHECKS);
        assertThatThrownBy(() -> request("orders-db", null, 30, 1334)).isInstanceOf(InvalidInputException.class);
        assertThat(request("orders-db", null, 3600, 10080).maxStatusChecks()).isEqualTo(168);
        assertThat(ProvisioningRequest.MAX_STATUS_CHECKS).isEqualTo(2666);
        assertThat(ProvisioningRequest.minimumWaitSeconds(10080)).isEqualTo(227);
    }

    @Test
    void identifiers_areLowerCase_asRdsStoresThem() {
        assertThat(request("Orders-DB", null, null, null).identifier()).isEqualTo("orders-db");
        assertThat(request(null, "Orders-Aurora", null, null).clusterIdentifier()).isEqualTo("orders-aurora");
    }

    @Test
    void unsetOptions_takeTheRequestDefaults() {
        ProvisioningRequest request = ProvisioningRequest.builder().instanceIdentifier("orders-db").build();

        assertThat(request.trackingMode()).isEqualTo(RequestTrackingMode.ALL_TABLES);
        assertThat(request.schemas()).containsExactly("public");
        assertThat(request.tables()).isEmpty();
        assertThat(request.credentialsMode()).isEqualTo(RequestCredentialsMode.READ_ONLY_USER);
        assertThat(request.cdcUser()).isEqualTo("cdc_reader");
        assertThat(request.publication()).isEqualTo("bemi");
        assertThat(request.rebootPolicy()).isEqualTo(RebootPolicy.IMMEDIATE);
        assertThat(request.waitSeconds()).isEqualTo(30);
        assertThat(request.waitTimeoutMinutes()).isEqualTo(120);
        assertThat(request.extraParameters()).isEmpty();
        assertThat(request.source()).isEqualTo("MANUAL");
        assertThat(request.database()).isNull();
        assertThat(request.adminSecretArn()).isNull();
        assertThat(request.maxSlotWalKeepSize()).as("DescribeTarget applies the default per target").isNull();
    }

    private static ProvisioningRequest capped(String cap) {
        return ProvisioningRequest.builder().instanceIdentifier("orders-db").maxSlotWalKeepSize(cap).build();
    }

    @Test
    void retentionCap_acceptsSizesSharesAndOff_inOneSpellingEach() {
        assertThat(capped("50GB").maxSlotWalKeepSize()).isEqualTo("51200MB");
        assertThat(capped("51200MB").maxSlotWalKeepSize()).isEqualTo("51200MB");
        assertThat(capped(" 1tb ").maxSlotWalKeepSize()).isEqualTo("1048576MB");
        assertThat(capped("20%").maxSlotWalKeepSize()).isEqualTo("20%");
        assertThat(capped("OFF").maxSlotWalKeepSize()).isEqualTo("off");
        assertThat(capped("1024MB").maxSlotWalKeepSize()).isEqualTo("1024MB");
        assertThat(manual("{\"instanceIdentifier\": \"orders-db\", \"maxSlotWalKeepSize\": \"5%\"}")
                .maxSlotWalKeepSize()).isEqualTo("5%");
    }

    @Test
    void badRetentionCaps_failNamingTheFieldTheValueAndTheForms() {
        for (String bad : List.of("", "50", "-1", "0MB", "1023MB", "2048TB", "4%", "81%", "100%", "50 GiB", "lots",
                "12.5GB")) {
            assertThatThrownBy(() -> capped(bad)).as(bad).isInstanceOf(InvalidInputException.class)
                    .hasMessage("maxSlotWalKeepSize must be a size such as 51200MB, 50GB or 1TB (at least 1024 MB), "
                            + "a share of allocated storage such as 20% (5-80%), or off, was " + bad);
        }
    }

    @Test
    void retentionCapAsAnExtraParameter_isRefused_pointingAtTheField() {
        assertThatThrownBy(() -> ProvisioningRequest.builder().instanceIdentifier("orders-db")
                .extraParameters(Map.of("max_slot_wal_keep_size", "10240")).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("extraParameters must not set max_slot_wal_keep_size: give maxSlotWalKeepSize instead");
    }

    @Test
    void shares_resolveAgainstAllocatedStorage_andSizesStayAsTheyAre() {
        assertThat(SlotWalCap.resolve("20%", 100)).isEqualTo("20480MB");
        assertThat(SlotWalCap.resolve("5%", 20)).isEqualTo("1024MB");
        assertThat(SlotWalCap.resolve("80%", 65536)).isEqualTo("53687091MB");
        assertThat(SlotWalCap.resolve("51200MB", 100)).isEqualTo("51200MB");
        assertThat(SlotWalCap.resolve("off", 100)).isEqualTo("off");
        assertThat(SlotWalCap.parameterValue("20480MB")).isEqualTo("20480");
        assertThat(SlotWalCap.parameterValue("off")).isEqualTo("-1");
    }

    @Test
    void toBuilder_keepsEveryValue_andChangesOnlyWhatIsSet() {
        ProvisioningRequest request = ProvisioningRequest.builder().instanceIdentifier("orders-db").database("orders")
                .trackingMode(RequestTrackingMode.SELECTED_TABLES).schemas(List.of("sales"))
                .tables(List.of("sales.orders")).credentialsMode(RequestCredentialsMode.MASTER).cdcUser("cdc")
                .publication("pub").publishViaPartitionRoot(true).rebootPolicy(RebootPolicy.NONE)
                .adminSecretArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf")
                .copyParameterGroup(true).extraParameters(Map.of("wal_sender_timeout", "300000")).waitSeconds(60)
                .waitTimeoutMinutes(30).source("aws.rds:RDS-EVENT-0005").adoptExistingRole(true)
                .maxSlotWalKeepSize("40GB").build();

        assertThat(request.toBuilder().build()).isEqualTo(request);
        ProvisioningRequest cluster = request.toBuilder().instanceIdentifier(null).clusterIdentifier("Orders-Aurora")
                .build();
        assertThat(cluster.clusterIdentifier()).isEqualTo("orders-aurora");
        assertThat(cluster.toBuilder().instanceIdentifier("orders-db").clusterIdentifier(null).build())
                .isEqualTo(request);
    }

    @Test
    void builderWithoutTarget_failsNamingBothFields() {
        assertThatThrownBy(() -> ProvisioningRequest.builder().database("orders").build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("exactly one of instanceIdentifier and clusterIdentifier must be given, "
                        + "got instanceIdentifier=null, clusterIdentifier=null");
    }

    @Test
    void modesInJson_areReadInAnyCase() {
        ProvisioningRequest request = manual("""
                {"instanceIdentifier": "orders-db", "trackingMode": "selected_tables", "tables": ["public.orders"],
                 "credentialsMode": "Master"}""");

        assertThat(request.trackingMode()).isEqualTo(RequestTrackingMode.SELECTED_TABLES);
        assertThat(request.credentialsMode()).isEqualTo(RequestCredentialsMode.MASTER);
        assertThat(manual("{\"instanceIdentifier\": \"orders-db\", \"trackingMode\": null}").trackingMode())
                .isEqualTo(RequestTrackingMode.ALL_TABLES);
    }

    @Test
    void unknownModesInJson_failWithAnInvalidInputNamingTheFieldAndTheAllowedValues() {
        assertThatThrownBy(() -> manual("{\"instanceIdentifier\": \"orders-db\", \"trackingMode\": \"some\"}"))
                .isExactlyInstanceOf(InvalidInputException.class)
                .hasMessage("trackingMode must be one of [ALL_TABLES, SELECTED_TABLES], was SOME");
        assertThatThrownBy(() -> manual("{\"instanceIdentifier\": \"orders-db\", \"credentialsMode\": \"\"}"))
                .isExactlyInstanceOf(InvalidInputException.class)
                .hasMessage("credentialsMode must be one of [READ_ONLY_USER, MASTER], was ");
    }

    private static ProvisioningRequest manual(String json) {
        JsonNode node = Json.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        return Json.convert(node, ProvisioningRequest.class);
    }
}
