package io.cdcenabler.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The request's own rules that protect the execution: its history limit and RDS's lower-case identifiers. */
class ProvisioningRequestTest {
    private static ProvisioningRequest request(String instance, String cluster, Integer waitSeconds,
                                               Integer waitTimeoutMinutes) {
        return new ProvisioningRequest(instance, cluster, null, null, null, null, null, null, null, false, null, null,
                false, null, waitSeconds, waitTimeoutMinutes, null, false);
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
}
