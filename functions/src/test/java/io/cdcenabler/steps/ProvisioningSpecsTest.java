package io.cdcenabler.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.postgres.CredentialsMode;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.TableName;
import io.cdcenabler.postgres.TrackingMode;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.RequestCredentialsMode;
import io.cdcenabler.workflow.RequestDefaults;
import io.cdcenabler.workflow.RequestTrackingMode;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request's modes and defaults become the engine's, one to one. */
class ProvisioningSpecsTest {
    @Test
    void everyModeOfTheRequest_isTheEnginesModeOfTheSameName_andTheReverse() {
        assertThat(Arrays.stream(RequestTrackingMode.values()).map(m -> ProvisioningSpecs.trackingMode(m).name()))
                .containsExactlyElementsOf(Arrays.stream(TrackingMode.values()).map(Enum::name).toList());
        assertThat(Arrays.stream(RequestCredentialsMode.values()).map(m -> ProvisioningSpecs.credentialsMode(m).name()))
                .containsExactlyElementsOf(Arrays.stream(CredentialsMode.values()).map(Enum::name).toList());
    }

    @Test
    void aRequestWithDefaults_isTheEnginesDefaultSpec() {
        ProvisioningSpec spec = ProvisioningSpecs.of(ProvisioningRequest.builder().instanceIdentifier("orders-db")
                .build());

        assertThat(spec).isEqualTo(ProvisioningSpec.builder().build());
        assertThat(spec.publication()).isEqualTo(RequestDefaults.PUBLICATION);
        assertThat(spec.cdcUser()).isEqualTo(RequestDefaults.CDC_USER);
        assertThat(spec.schemas()).isEqualTo(RequestDefaults.SCHEMAS);
    }

    @Test
    void selectedTablesAsMaster_becomeTheEnginesSpec() {
        ProvisioningSpec spec = ProvisioningSpecs.of(ProvisioningRequest.builder().instanceIdentifier("orders-db")
                .trackingMode(RequestTrackingMode.SELECTED_TABLES).tables(List.of("sales.orders"))
                .credentialsMode(RequestCredentialsMode.MASTER).build());

        assertThat(spec.trackingMode()).isEqualTo(TrackingMode.SELECTED_TABLES);
        assertThat(spec.tables()).containsExactly(new TableName("sales", "orders"));
        assertThat(spec.credentialsMode()).isEqualTo(CredentialsMode.MASTER);
        assertThat(spec.cdcUser()).isNull();
    }

    @Test
    void aNameTheEngineRefuses_isAnInvalidInput() {
        assertThatThrownBy(() -> ProvisioningSpecs.of(ProvisioningRequest.builder().instanceIdentifier("orders-db")
                .cdcUser("pg_cdc").build()))
                .isExactlyInstanceOf(InvalidInputException.class).hasMessageContaining("reserved role name");
    }
}
