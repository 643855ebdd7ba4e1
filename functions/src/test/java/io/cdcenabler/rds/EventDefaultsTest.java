package io.cdcenabler.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.RebootPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventDefaultsTest {
    @Test
    void emptyEnvironment_givesTheDocumentedDefaults() {
        EventDefaults defaults = EventDefaults.fromEnvironment(Map.of());

        assertThat(defaults).isEqualTo(new EventDefaults("cdc-enabler", "true", "ALL_TABLES", List.of("public"),
                "bemi", RebootPolicy.IMMEDIATE, null, null, "20%"));
        assertThat(defaults.maxSlotWalKeepSize()).isEqualTo(io.cdcenabler.contract.Defaults.MAX_SLOT_WAL_KEEP_SIZE);
        assertThat(defaults.optInRequired()).isTrue();
    }

    @Test
    void environment_overridesEachDefault() {
        EventDefaults defaults = EventDefaults.fromEnvironment(Map.of(EventDefaults.OPT_IN_TAG_KEY, "",
                EventDefaults.SCHEMAS, "public, sales", EventDefaults.PUBLICATION, "cdc",
                EventDefaults.REBOOT_POLICY, "next_maintenance_window", EventDefaults.MAX_SLOT_WAL_KEEP_SIZE, "50gb"));

        assertThat(defaults.optInRequired()).isFalse();
        assertThat(defaults.schemas()).containsExactly("public", "sales");
        assertThat(defaults.publication()).isEqualTo("cdc");
        assertThat(defaults.rebootPolicy()).isEqualTo(RebootPolicy.NEXT_MAINTENANCE_WINDOW);
        assertThat(defaults.maxSlotWalKeepSize()).isEqualTo("51200MB");
        assertThat(EventDefaults.fromEnvironment(Map.of(EventDefaults.MAX_SLOT_WAL_KEEP_SIZE, "OFF"))
                .maxSlotWalKeepSize()).isEqualTo("off");
    }

    @Test
    void badValues_failAtColdStart_namingTheVariable() {
        assertThatThrownBy(() -> EventDefaults.fromEnvironment(Map.of(EventDefaults.REBOOT_POLICY, "later")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("CDC_REBOOT_POLICY");
        assertThatThrownBy(() -> EventDefaults.fromEnvironment(Map.of(EventDefaults.TRACKING_MODE, "SELECTED_TABLES")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("CDC_TRACKING_MODE");
        assertThatThrownBy(() -> EventDefaults.fromEnvironment(Map.of(EventDefaults.MAX_SLOT_WAL_KEEP_SIZE, "lots")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("CDC_MAX_SLOT_WAL_KEEP_SIZE").hasMessageContaining("lots")
                .hasMessageContaining("51200MB, 50GB or 1TB").hasMessageContaining("20%").hasMessageContaining("off");
    }
}
