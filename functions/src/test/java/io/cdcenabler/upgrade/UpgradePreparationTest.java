package io.cdcenabler.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.cdcenabler.postgres.LockPolicy;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.postgres.TrackingMode;
import io.cdcenabler.postgres.UpgradeReadiness;
import io.cdcenabler.rds.ParameterGroupPlanner;
import io.cdcenabler.rds.UpgradeGroup;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * prepare-upgrade over FakeRds and the embedded PostgreSQL servers: a source below 17 (the oldest of the matrix) with a
 * logical slot lists the slot as a blocker, a source on 17 does not; our group of the new family holds today's CDC
 * values; only our event trigger is dropped, last, and the application's DDL, DML and event trigger go on working.
 */
class UpgradePreparationTest {
    private static final LockPolicy FAST = new LockPolicy(Duration.ofSeconds(2), 500, 2, Duration.ofMillis(50));
    private static final String OUR_TRIGGER = "cdc_enabler_keep_replica_identity_full";

    private final FakeRds rds = new FakeRds().asynchronousApply(false);
    private TestDatabase db;
    private String slot;

    @AfterEach
    void dropSlot() {
        if (slot != null) {
            db.sql("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    /** A provisioned database on the server of {@code version} with the application's own event trigger. */
    private TestDatabase enrolledDatabase(String version) {
        db = PostgresServers.freshDatabase(version);
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.ddl_log (tag text)",
                "CREATE FUNCTION public.app_audit() RETURNS event_trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN INSERT INTO public.ddl_log VALUES (tg_tag); END $$",
                "CREATE EVENT TRIGGER app_audit ON ddl_command_end WHEN TAG IN ('CREATE TABLE') "
                        + "EXECUTE FUNCTION public.app_audit()");
        new Provisioner(db.asSuperuser()).provision(ProvisioningSpec.builder().publication("bemi")
                .trackingMode(TrackingMode.ALL_TABLES).schemas(List.of("public")).cdcUser("cdc_" + db.name())
                .cdcPassword(Secret.of("cdc-Pa55word")).lockPolicy(FAST).build());
        assertThat(triggers()).containsExactly("app_audit", OUR_TRIGGER);
        return db;
    }

    private static String version(boolean below17) {
        return PostgresServers.versions().stream()
                .filter(v -> below17 == (TargetVersion.majorOf(v) < UpgradeReadiness.KEEPS_LOGICAL_SLOTS_FROM))
                .findFirst().orElseThrow();
    }

    private void createSlot() {
        slot = "upg_" + db.name();
        db.sql("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
    }

    private List<String> triggers() {
        return db.rows("SELECT evtname FROM pg_event_trigger ORDER BY evtname");
    }

    private UpgradeReport prepare(String identifier, String target, boolean dryRun) {
        return new UpgradePreparation(rds, db.asSuperuser(), FAST).prepare(new UpgradeRequest(
                ProvisioningRequest.builder().instanceIdentifier(identifier).build(), target, null, dryRun));
    }

    private static String fakeVersion(TestDatabase database) {
        return database.major() < 17 ? database.major() + ".20" : database.major() + ".2";
    }

    @Test
    void below17_withLogicalSlot_listsItCreatesTheGroupAndDropsOnlyOurTriggerLast() {
        enrolledDatabase(version(true));
        rds.addInstance("app-db", "postgres", fakeVersion(db));
        String groupBefore = rds.instance("app-db").parameterGroup();
        createSlot();

        UpgradeReport report = prepare("app-db", "17", false);

        String group = "cdc-enabler-app-db-postgres17";
        assertThat(report.parameterGroup().change()).isEqualTo(UpgradeGroup.Change.CREATE);
        assertThat(report.parameterGroup().groupName()).isEqualTo(group);
        assertThat(rds.dbParameterGroup(group).family()).isEqualTo("postgres17");
        assertThat(rds.dbParameterGroup(group).values()).containsEntry(ParameterGroupPlanner.LOGICAL_REPLICATION, "1")
                .containsKey("max_slot_wal_keep_size");
        assertThat(rds.instance("app-db").parameterGroup()).as("attached only by the upgrade").isEqualTo(groupBefore);
        assertThat(report.command()).isEqualTo("aws rds modify-db-instance --db-instance-identifier app-db "
                + "--engine-version 17.6 --allow-major-version-upgrade --db-parameter-group-name " + group
                + " --apply-immediately");
        assertThat(report.blockers()).extracting(Blocker::kind, Blocker::name).containsExactly(
                tuple(Blocker.Kind.LOGICAL_SLOT, slot),
                tuple(Blocker.Kind.EVENT_TRIGGER, "app_audit"));
        assertThat(report.blockers().get(0).subject()).contains("plugin pgoutput", "inactive", "database " + db.name());
        assertThat(report.blockers().get(0).action()).contains("stop its consumer", "pg_drop_replication_slot",
                "re-snapshot");
        assertThat(report.trigger()).isEqualTo(UpgradeReport.TriggerAction.DROPPED);
        assertThat(report.notes()).anyMatch(n -> n.contains("recreates the event trigger"));
        assertThat(triggers()).containsExactly("app_audit");
        assertThat(db.value("SELECT count(*) FROM pg_proc WHERE proname = 'keep_replica_identity_full'"))
                .as("the function and its configuration stay for the enrolment after the upgrade").isEqualTo("1");
        db.sql("CREATE TABLE public.later (id int)", "INSERT INTO public.later VALUES (1)",
                "UPDATE public.orders SET status = 'x'", "INSERT INTO public.orders VALUES (1, 'new')",
                "UPDATE public.orders SET status = 'paid' WHERE id = 1", "DELETE FROM public.orders");
        assertThat(db.rows("SELECT tag FROM public.ddl_log")).contains("CREATE TABLE");
    }

    @Test
    void source17_withLogicalSlot_hasNoSlotBlocker() {
        enrolledDatabase(version(false));
        rds.addInstance("app-db", "postgres", fakeVersion(db));
        createSlot();

        UpgradeReport report = prepare("app-db", String.valueOf(db.major() + 1), false);

        assertThat(report.blockers()).extracting(Blocker::kind).doesNotContain(Blocker.Kind.LOGICAL_SLOT);
        assertThat(report.engineVersion()).startsWith((db.major() + 1) + ".");
        assertThat(report.trigger()).isEqualTo(UpgradeReport.TriggerAction.DROPPED);
    }

    @Test
    void rerun_changesNothing() {
        enrolledDatabase(version(true));
        rds.addInstance("app-db", "postgres", fakeVersion(db));
        UpgradeReport first = prepare("app-db", "17.4", false);
        String after = rds.snapshot();
        int modifies = rds.calls("ModifyDBParameterGroup");

        UpgradeReport second = prepare("app-db", "17.4", false);

        assertThat(first.engineVersion()).isEqualTo("17.4");
        assertThat(second.parameterGroup().change()).isEqualTo(UpgradeGroup.Change.NONE);
        assertThat(second.parameterGroup().toSet()).isEmpty();
        assertThat(second.trigger()).isEqualTo(UpgradeReport.TriggerAction.ABSENT);
        assertThat(second.command()).isEqualTo(first.command());
        assertThat(rds.snapshot()).isEqualTo(after);
        assertThat(rds.calls("CreateDBParameterGroup")).isEqualTo(1);
        assertThat(rds.calls("ModifyDBParameterGroup")).isEqualTo(modifies);
        assertThat(triggers()).containsExactly("app_audit");
    }

    @Test
    void dryRun_changesNothing() {
        enrolledDatabase(version(true));
        rds.addInstance("app-db", "postgres", fakeVersion(db));
        String before = rds.snapshot();

        UpgradeReport report = prepare("app-db", "17", true);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.parameterGroup().change()).isEqualTo(UpgradeGroup.Change.CREATE);
        assertThat(report.parameterGroup().applied()).isFalse();
        assertThat(report.parameterGroup().toSet()).containsEntry(ParameterGroupPlanner.LOGICAL_REPLICATION, "1");
        assertThat(report.trigger()).isEqualTo(UpgradeReport.TriggerAction.WOULD_DROP);
        assertThat(rds.snapshot()).isEqualTo(before);
        assertThat(rds.calls("CreateDBParameterGroup") + rds.calls("ModifyDBParameterGroup")).isZero();
        assertThat(triggers()).containsExactly("app_audit", OUR_TRIGGER);
    }

    @Test
    void targetNotAboveTheCurrentMajor_isAnErrorNamingBoth_changingNothing() {
        enrolledDatabase(version(true));
        String current = fakeVersion(db);
        rds.addInstance("app-db", "postgres", current);
        String before = rds.snapshot();

        assertThatThrownBy(() -> prepare("app-db", String.valueOf(db.major()), false))
                .isInstanceOf(InvalidUpgradeTargetException.class)
                .hasMessageContaining("--target-version " + db.major() + " is not above")
                .hasMessageContaining("runs " + current).hasMessageContaining("nothing was changed");
        assertThat(rds.snapshot()).isEqualTo(before);
        assertThat(triggers()).containsExactly("app_audit", OUR_TRIGGER);
    }

    @Test
    void fullVersionRdsDoesNotOffer_isAnErrorListingTheOffered() {
        enrolledDatabase(version(true));
        rds.addInstance("app-db", "postgres", fakeVersion(db));

        assertThatThrownBy(() -> prepare("app-db", "17.3", false))
                .isInstanceOf(InvalidUpgradeTargetException.class)
                .hasMessageContaining("of major 17 it offers [17.2, 17.4, 17.6]");
        assertThatThrownBy(() -> prepare("app-db", "seventeen", false))
                .isInstanceOf(InvalidUpgradeTargetException.class).hasMessageContaining("'seventeen'");
        assertThat(triggers()).containsExactly("app_audit", OUR_TRIGGER);
    }

    @Test
    void customGroupToday_itsValuesAreCarriedIntoTheNewFamily() {
        enrolledDatabase(version(true));
        String family = "postgres" + db.major();
        rds.addInstance("app-db", "postgres", fakeVersion(db));
        rds.addDbParameterGroup("app-pg", family, Map.of("log_min_duration_statement", "500",
                ParameterGroupPlanner.LOGICAL_REPLICATION, "1", "max_slot_wal_keep_size", "40960"));
        rds.useDbParameterGroup("app-db", "app-pg");

        UpgradeReport report = prepare("app-db", "17", false);

        assertThat(rds.dbParameterGroup("cdc-enabler-app-db-postgres17").values())
                .containsEntry("log_min_duration_statement", "500")
                .containsEntry(ParameterGroupPlanner.LOGICAL_REPLICATION, "1")
                .as("today's cap, not the default share").containsEntry("max_slot_wal_keep_size", "40960");
        assertThat(report.parameterGroup().parameters()).hasSize(3);
    }

    @Test
    void auroraCluster_namesTheClusterGroupAndTheInstancesGroupOfTheNewFamily() {
        enrolledDatabase(version(false));
        rds.addAuroraCluster("app-aurora", fakeVersion(db), "app-aurora-1", "app-aurora-2");
        int next = db.major() + 1;

        UpgradeReport report = new UpgradePreparation(rds, db.asSuperuser(), FAST).prepare(new UpgradeRequest(
                ProvisioningRequest.builder().clusterIdentifier("app-aurora").build(), String.valueOf(next),
                "eu-west-1", false));

        String group = "cdc-enabler-app-aurora-aurora-postgresql" + next;
        assertThat(rds.clusterParameterGroup(group).values())
                .containsEntry(ParameterGroupPlanner.LOGICAL_REPLICATION, "1");
        assertThat(report.command()).isEqualTo("aws rds modify-db-cluster --db-cluster-identifier app-aurora "
                + "--engine-version " + report.engineVersion() + " --allow-major-version-upgrade "
                + "--db-cluster-parameter-group-name " + group + " --db-instance-parameter-group-name "
                + "default.aurora-postgresql" + next + " --apply-immediately --region eu-west-1");
    }

    @Test
    void multiAzDbCluster_namesItsClusterGroupOnly() {
        enrolledDatabase(version(true));
        rds.addMultiAzCluster("app-maz", fakeVersion(db));

        UpgradeReport report = new UpgradePreparation(rds, db.asSuperuser(), FAST).prepare(new UpgradeRequest(
                ProvisioningRequest.builder().clusterIdentifier("app-maz").build(), "17", null, false));

        assertThat(report.instanceParameterGroup()).isNull();
        assertThat(report.command()).isEqualTo("aws rds modify-db-cluster --db-cluster-identifier app-maz "
                + "--engine-version 17.6 --allow-major-version-upgrade --db-cluster-parameter-group-name "
                + "cdc-enabler-app-maz-postgres17 --apply-immediately");
        assertThat(rds.clusterParameterGroup("cdc-enabler-app-maz-postgres17").values())
                .containsEntry(ParameterGroupPlanner.LOGICAL_REPLICATION, "1");
    }

    @Test
    void connectionToAnotherServer_isRefusedBeforeAnyChange() {
        enrolledDatabase(version(true));
        rds.addInstance("app-db", "postgres", "16.4");
        String before = rds.snapshot();

        assertThatThrownBy(() -> prepare("app-db", "17", false))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("reaches PostgreSQL " + db.major()).hasMessageContaining("runs 16.4");
        assertThat(rds.snapshot()).isEqualTo(before);
        assertThat(triggers()).containsExactly("app_audit", OUR_TRIGGER);
    }
}
