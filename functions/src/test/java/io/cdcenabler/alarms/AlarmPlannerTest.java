package io.cdcenabler.alarms;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.cdcenabler.workflow.Topology;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlarmPlannerTest {
    private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:alarms";

    @Test
    void names_fitCloudWatchsLimitForTheLongestIdentifier() {
        AlarmTarget longest = AlarmTarget.auroraCluster("a" + "-b".repeat(31));

        assertThat(new AlarmPlanner(TOPIC, AlarmThresholds.DEFAULTS).plan(longest))
                .allSatisfy(alarm -> assertThat(alarm.name().length()).isLessThan(AlarmDefinition.MAX_NAME_LENGTH));
    }

    @Test
    void prefixOfOneTarget_isNoPrefixOfAnothersNames() {
        String name = AlarmNames.nameOf(AlarmTarget.instance("db-10"), GuardrailMetric.FREE_STORAGE_SPACE);

        assertThat(name).doesNotStartWith(AlarmNames.prefixOf(AlarmTarget.instance("db-1")));
        assertThat(name).doesNotStartWith(AlarmNames.prefixOf(AlarmTarget.auroraCluster("db-10")));
    }

    @Test
    void thresholds_override_changesOnlyThatMetricAndTheWindow() {
        AlarmThresholds custom = AlarmThresholds.DEFAULTS.with(GuardrailMetric.FREE_STORAGE_SPACE, 1L << 30)
                .withEvaluation(Duration.ofMinutes(1), 10);

        var free = new AlarmPlanner(TOPIC, custom).plan(AlarmTarget.instance("db")).get(3);

        assertThat(free.metric().metricName()).isEqualTo("FreeStorageSpace");
        assertThat(free.condition().threshold()).isEqualTo(1L << 30);
        assertThat(free.condition().window()).isEqualTo(new AlarmDefinition.Window(60, 10, 10));
        assertThat(custom.thresholdOf(GuardrailMetric.REPLICATION_SLOT_DISK_USAGE))
                .isEqualTo(AlarmThresholds.DEFAULTS.thresholdOf(GuardrailMetric.REPLICATION_SLOT_DISK_USAGE));
    }

    @Test
    void badInput_isRefusedNamingTheField() {
        assertThatThrownBy(() -> AlarmThresholds.DEFAULTS.with(GuardrailMetric.OLDEST_REPLICATION_SLOT_LAG, 0))
                .hasMessageStartingWith("bytes.OldestReplicationSlotLag:");
        assertThatThrownBy(() -> AlarmThresholds.DEFAULTS.withEvaluation(Duration.ofSeconds(90), 3))
                .hasMessageStartingWith("period:");
        assertThatThrownBy(() -> AlarmThresholds.DEFAULTS.withEvaluation(Duration.ofMinutes(5), 289))
                .hasMessageStartingWith("evaluationPeriods:");
        assertThatThrownBy(() -> new AlarmPlanner("arn:aws:sqs:eu-west-1:123456789012:q", AlarmThresholds.DEFAULTS))
                .hasMessageStartingWith("topicArn:");
        assertThatThrownBy(() -> AlarmTarget.instance("Orders_DB")).hasMessageStartingWith("identifier:");
        assertThatThrownBy(() -> AlarmTarget.of(Topology.MULTI_AZ_CLUSTER, "db"))
                .hasMessageStartingWith("topology:");
    }

    @Test
    void topology_mapsInstancesToInstanceMetricsAndAuroraToClusterMetrics() {
        assertThat(AlarmTarget.of(Topology.MULTI_AZ_INSTANCE, "db").kind()).isEqualTo(AlarmTarget.Kind.INSTANCE);
        assertThat(AlarmTarget.of(Topology.AURORA_CLUSTER, "db").kind()).isEqualTo(AlarmTarget.Kind.AURORA_CLUSTER);
    }

    @Test
    void plannerAndEnsurer_dependOnThePortNotOnTheSdk() {
        noClasses().that().haveSimpleNameStartingWith("Alarm").and().resideInAPackage("io.cdcenabler.alarms")
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.cdcenabler.alarms"));
    }
}
