package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.postgres.SlotReport.Activity;
import io.cdcenabler.postgres.SlotReport.Consumer;
import io.cdcenabler.postgres.SlotReport.Identity;
import io.cdcenabler.postgres.SlotReport.Wal;
import io.cdcenabler.postgres.VerificationReport.Status;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Threshold text, defaults and the verdict rules that do not need a server (the real slots are SlotHealthTest's). */
class SlotThresholdsTest {
    private static final long GB = 1L << 30;

    @Test
    void sizes_useBinaryUnits_caseInsensitive() {
        assertThat(SlotThresholds.parseSize("x", "10GB")).isEqualTo(10 * GB);
        assertThat(SlotThresholds.parseSize("x", "512mb")).isEqualTo(512L << 20);
        assertThat(SlotThresholds.parseSize("x", "1.5TB")).isEqualTo(1536 * GB);
        assertThat(SlotThresholds.parseSize("x", "4096")).isEqualTo(4096);
        assertThat(SlotThresholds.format(12 * GB + GB / 2)).isEqualTo("12.5 GB");
        assertThat(SlotThresholds.format(100)).isEqualTo("100 B");
    }

    @Test
    void defaults_areAbsolute_orSharesWhenAllocatedStorageIsKnown() {
        SlotThresholds absolute = SlotThresholds.parse(null, null, OptionalLong.empty());
        SlotThresholds shares = SlotThresholds.parse(null, null, OptionalLong.of(200 * GB));

        assertThat(absolute.warnBytes()).isEqualTo(5 * GB);
        assertThat(absolute.failBytes()).isEqualTo(50 * GB);
        assertThat(shares.warnBytes()).isEqualTo(20 * GB);
        assertThat(shares.failBytes()).isEqualTo(50 * GB);
        assertThat(shares.basis()).isEqualTo("warn 10%, fail 25% of 200.0 GB allocated");
    }

    @Test
    void badThresholds_failNamingTheProblem() {
        assertThatThrownBy(() -> SlotThresholds.parse("10%", null, OptionalLong.empty()))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("needs the allocated storage");
        assertThatThrownBy(() -> SlotThresholds.parse("20GB", "10GB", OptionalLong.empty()))
                .hasMessageContaining("WARN threshold (20.0 GB) must not exceed the FAIL threshold (10.0 GB)");
        assertThatThrownBy(() -> SlotThresholds.parse("lots", null, OptionalLong.empty()))
                .hasMessageContaining("must be a size such as 10GB").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> SlotThresholds.parse("150%", null, OptionalLong.of(GB)))
                .hasMessageContaining("at most 100%");
    }

    @Test
    void unreservedSlot_failsEvenBelowTheThresholds() {
        SlotReport slot = slot(new Wal("unreserved", 1024L, -5L, null), false);

        var verdict = SlotHealth.judge(slot, SlotThresholds.DEFAULT);

        assertThat(verdict.status()).isEqualTo(Status.FAIL);
        assertThat(verdict.message()).contains("next checkpoint removes WAL it needs", "resume its consumer now");
    }

    @Test
    void activeSlotBehind_saysItsConsumerIsNotConfirming() {
        SlotReport slot = slot(new Wal("extended", 6 * GB, null, null), true);

        var verdict = SlotHealth.judge(slot, SlotThresholds.DEFAULT);

        assertThat(verdict.status()).isEqualTo(Status.WARN);
        assertThat(verdict.message()).contains("slot s1 (active, pid 42 'Debezium' from 10.0.0.5) retains 6.0 GB",
                "not confirming", "WARN at 5.0 GB");
    }

    @Test
    void publicationsOfAStartReplicationCommand_areReadAsPgoutputSplitsThem() {
        assertThat(SlotHealth.publications("START_REPLICATION SLOT \"s\" LOGICAL 0/0 (\"proto_version\" '1', "
                + "\"publication_names\" 'Bemi,\"Mixed\"\"Case\", other')")).containsExactly("bemi", "Mixed\"Case",
                "other");
        assertThat(SlotHealth.publications("IDENTIFY_SYSTEM")).isNull();
        assertThat(SlotHealth.publications(null)).isNull();
    }

    private static SlotReport slot(Wal wal, boolean active) {
        Consumer consumer = active ? new Consumer(42, "Debezium", "10.0.0.5", List.of("bemi")) : null;
        return new SlotReport(new Identity("s1", "logical", "pgoutput", "app"),
                new Activity(active, false, Optional.empty(), consumer), wal, null);
    }
}
