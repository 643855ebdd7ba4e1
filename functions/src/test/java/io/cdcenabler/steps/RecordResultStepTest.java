package io.cdcenabler.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentResult;
import io.cdcenabler.testing.InMemoryEnrolmentRegistry;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.ReconcileItem;
import io.cdcenabler.workflow.ReconcileItem.DriftCheck;
import io.cdcenabler.workflow.ReconcileItem.Failure;
import io.cdcenabler.workflow.ReconcileItem.Repair;
import io.cdcenabler.workflow.ReconcileItem.Target;
import io.cdcenabler.workflow.ReconcileSummary;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordResultStepTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant ENROLLED = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-12-02T03:00:00Z");
    private static final Target TARGET = new Target("orders-db", "orders", "INSTANCE", "schedule");
    private static final Enrolment.Key KEY = new Enrolment.Key("orders-db", "orders");

    private final InMemoryEnrolmentRegistry registry = new InMemoryEnrolmentRegistry();
    private final RecordResultStep step = new RecordResultStep(registry, Clock.fixed(NOW, ZoneOffset.UTC));

    private void enrol() {
        registry.recordEnrolment(new Enrolment(ProvisioningRequest.builder().instanceIdentifier("orders-db")
                .database("orders").build(), Enrolment.TargetKind.INSTANCE, "orders-db", "orders", null,
                "cdc-enabler-orders-db-postgres16", "16.4", ENROLLED, ENROLLED, EnrolmentResult.READY, null,
                List.of(), 0));
    }

    private static DriftCheck drifted(String... drifts) {
        return new DriftCheck(true, false, List.of(drifts), MAPPER.createObjectNode(), null, null);
    }

    private static Repair ended(String result) {
        return new Repair(MAPPER.createObjectNode().put("result", result));
    }

    @Test
    void nothingDrifted_isReady_andMovesLastVerified() {
        enrol();

        RecordResultStep.ResultLine line = step.record(new ReconcileItem(TARGET,
                new DriftCheck(false, false, List.of(), null, null, null), null, null, null));

        assertThat(line.result()).isEqualTo(EnrolmentResult.READY);
        assertThat(line.line()).isEqualTo("orders-db/orders READY");
        assertThat(registry.find(KEY).orElseThrow().lastVerified()).isEqualTo(NOW);
    }

    @Test
    void driftRepairedByARunEndingReady_isRepaired_withWhatHadDrifted() {
        enrol();

        RecordResultStep.ResultLine line = step.record(new ReconcileItem(TARGET,
                drifted("PARAMETER_GROUP: default.postgres16"), ended("READY"), null, null));

        Enrolment stored = registry.find(KEY).orElseThrow();
        assertThat(line.result()).isEqualTo(EnrolmentResult.REPAIRED);
        assertThat(stored.lastResult()).isEqualTo(EnrolmentResult.REPAIRED);
        assertThat(stored.drift()).containsExactly("PARAMETER_GROUP: default.postgres16");
        assertThat(stored.lastVerified()).isEqualTo(NOW);
    }

    @Test
    void aRepairThatWaitsForItsReboot_isDriftPendingReboot_andKeepsLastVerified() {
        enrol();

        RecordResultStep.ResultLine line = step.record(new ReconcileItem(TARGET, drifted("WAL_LEVEL: replica"),
                ended("REBOOT_PENDING"), null, null));

        assertThat(line.result()).isEqualTo(EnrolmentResult.DRIFT_PENDING_REBOOT);
        assertThat(registry.find(KEY).orElseThrow().lastVerified()).isEqualTo(ENROLLED);
    }

    @Test
    void aFailedRepair_isFailed_withTheChildsOwnErrorUnwrapped() {
        enrol();
        String cause = "{\"Error\":\"io.cdcenabler.workflow.TablesLockedException\",\"Cause\":\"public.orders is locked\"}";

        RecordResultStep.ResultLine line = step.record(new ReconcileItem(TARGET, drifted("REPLICA_IDENTITY: x"),
                null, null, new Failure("States.TaskFailed", cause)));

        assertThat(line.result()).isEqualTo(EnrolmentResult.FAILED);
        assertThat(line.error()).isEqualTo("io.cdcenabler.workflow.TablesLockedException: public.orders is locked");
        assertThat(registry.find(KEY).orElseThrow().lastError()).isEqualTo(line.error());
    }

    @Test
    void aTargetThatIsGone_isFailed_namingIt() {
        enrol();

        RecordResultStep.ResultLine line = step.record(new ReconcileItem(TARGET,
                new DriftCheck(false, true, List.of("TARGET_GONE: no DB instance orders-db"), null, null, null),
                null, null, null));

        assertThat(line.result()).isEqualTo(EnrolmentResult.FAILED);
        assertThat(line.error()).contains("TargetNotFoundException", "orders-db");
    }

    @Test
    void anEnrolmentRemovedMeanwhile_isReported_notRecreated() {
        RecordResultStep.ResultLine line = step.record(new ReconcileItem(TARGET,
                new DriftCheck(false, false, List.of(), null, null, null), null, null, null));

        assertThat(line.recorded()).isFalse();
        assertThat(line.line()).contains("no longer enrolled");
        assertThat(registry.list()).isEmpty();
    }

    @Test
    void anItemWithoutItsTarget_isANamedError() {
        assertThatThrownBy(() -> step.record(new ReconcileItem(null, null, null, null, null)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("$.target");
    }

    @Test
    void summary_countsEveryResult_andALineWithoutAResultAsFailed() {
        ReconcileSummary summary = ReconcileSummary.of(new ReconcileSummary.Input("schedule", List.of(
                new ReconcileSummary.Line("READY", "a/p READY"), new ReconcileSummary.Line("REPAIRED", "b/p REPAIRED"),
                new ReconcileSummary.Line("READY", "c/p READY"), new ReconcileSummary.Line(null, null))));

        assertThat(summary.targets()).isEqualTo(4);
        assertThat(summary.totals()).containsEntry("READY", 2).containsEntry("REPAIRED", 1)
                .containsEntry("DRIFT_PENDING_REBOOT", 0).containsEntry("FAILED", 1);
        assertThat(summary.lines()).hasSize(4).contains("a/p READY");
    }
}
