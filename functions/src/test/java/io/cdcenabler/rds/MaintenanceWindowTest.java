package io.cdcenabler.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.workflow.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MaintenanceWindowTest {
    private final MaintenanceWindow sunday = MaintenanceWindow.parse("sun:05:00-sun:05:30");

    @Test
    void nextStart_isTheComingWindowStartInUtc() {
        assertThat(sunday.nextStart(Instant.parse("2026-11-25T14:00:00Z")))
                .isEqualTo(Instant.parse("2026-11-29T05:00:00Z"));
        assertThat(sunday.nextStart(Instant.parse("2026-11-29T04:59:59Z")))
                .isEqualTo(Instant.parse("2026-11-29T05:00:00Z"));
        assertThat(sunday.nextStart(Instant.parse("2026-11-29T05:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-06T05:00:00Z"));
    }

    @Test
    void contains_coversStartToEnd() {
        assertThat(sunday.contains(Instant.parse("2026-11-29T05:00:00Z"))).isTrue();
        assertThat(sunday.contains(Instant.parse("2026-11-29T05:29:59Z"))).isTrue();
        assertThat(sunday.contains(Instant.parse("2026-11-29T05:30:00Z"))).isFalse();
        assertThat(sunday.contains(Instant.parse("2026-11-25T14:00:00Z"))).isFalse();
    }

    @Test
    void windowAcrossMidnightSunday_wrapsIntoMonday() {
        MaintenanceWindow wrap = MaintenanceWindow.parse("Sun:23:30-Mon:00:15");

        assertThat(wrap.length()).isEqualTo(Duration.ofMinutes(45));
        assertThat(wrap.contains(Instant.parse("2026-11-30T00:10:00Z"))).isTrue();
        assertThat(wrap.nextStart(Instant.parse("2026-11-30T00:10:00Z")))
                .isEqualTo(Instant.parse("2026-12-06T23:30:00Z"));
    }

    @Test
    void malformedWindow_namesTheValue() {
        assertThatThrownBy(() -> MaintenanceWindow.parse("sunday 5am")).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("sunday 5am");
    }
}
