package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hold prepare-upgrade puts on our event trigger ({@link UpgradeHold}), on every tested major: while it holds, no
 * provisioning brings the trigger back, yet each run still sets FULL on new tables and verify stays ready with a
 * warning; on the major the hold names (what the server runs after pg_upgrade carried the comment over) provisioning
 * recreates the trigger and clears the hold; a release brings it back at once. The application's DDL and DML work
 * throughout.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class UpgradeHoldTest {
    private static final LockPolicy FAST = new LockPolicy(Duration.ofSeconds(2), 500, 2, Duration.ofMillis(50));
    private static final String TRIGGERS = "SELECT count(*) FROM pg_event_trigger WHERE evtname = '"
            + EventTriggerSql.TRIGGER + "'";
    private static final String HOLD = "SELECT coalesce(obj_description(oid, 'pg_namespace'), '(none)') FROM pg_namespace "
            + "WHERE nspname = '" + EventTriggerSql.SCHEMA + "'";

    @Parameter
    String version;

    TestDatabase db;
    Provisioner provisioner;
    ProvisioningSpec spec;

    @BeforeEach
    void provisioned() {
        db = PostgresServers.freshDatabase(version);
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "INSERT INTO public.orders VALUES (1, 'new')");
        provisioner = new Provisioner(db.asSuperuser());
        spec = ProvisioningSpec.builder().publication("bemi").trackingMode(TrackingMode.ALL_TABLES)
                .schemas(List.of("public")).cdcUser("cdc_" + db.name()).cdcPassword(Secret.of("cdc-Pa55word"))
                .lockPolicy(FAST).build();
        provisioner.provision(spec);
        assertThat(db.value(TRIGGERS)).isEqualTo("1");
    }

    @Test
    void whileHeld_provisioningCatchesUpNewTablesButNeverBringsTheTriggerBack_andVerifyWarns() {
        int next = db.major() + 1;

        assertThat(UpgradeReadiness.dropOwnEventTrigger(db.asSuperuser(), FAST, next)).isTrue();

        assertThat(db.value(TRIGGERS)).isEqualTo("0");
        assertThat(db.value(HOLD)).startsWith(UpgradeHold.marker(next).substring(0, 60)).contains(" " + next + " ");
        db.sql("CREATE TABLE public.refunds (id int PRIMARY KEY, amount numeric)",
                "INSERT INTO public.refunds VALUES (1, 3.5)", "UPDATE public.orders SET status = 'paid'");
        assertThat(db.replicaIdentity("public.refunds")).as("no trigger: the new table stays DEFAULT").isEqualTo("d");

        Plan plan = provisioner.plan(spec);
        assertThat(plan.changes()).extracting(Change::toString).noneMatch(c -> c.contains("event trigger"));
        assertThat(plan.notes()).anyMatch(UpgradeHold::isNote);
        ProvisioningResult result = provisioner.provision(spec);

        assertThat(result.changes()).extracting(Change::toString).containsExactly(
                "set REPLICA IDENTITY FULL on public.refunds");
        assertThat(db.replicaIdentity("public.refunds")).isEqualTo("f");
        assertThat(db.value(TRIGGERS)).as("held").isEqualTo("0");
        VerificationReport report = new Verifier(db.asSuperuser()).verify(spec);
        assertThat(report.ready()).as(report.toString()).isTrue();
        assertThat(report.checks()).anySatisfy(check -> {
            assertThat(check.name()).isEqualTo(Verifier.EVENT_TRIGGER);
            assertThat(check.status()).isEqualTo(VerificationReport.Status.WARN);
            assertThat(check.detail()).contains("held for the major version upgrade to PostgreSQL " + next);
        });
        assertThat(provisioner.plan(spec).isEmpty()).as("a second run changes nothing").isTrue();
        assertThat(UpgradeReadiness.dropOwnEventTrigger(db.asSuperuser(), FAST, next)).as("a re-run").isFalse();
        db.sql("UPDATE public.refunds SET amount = 4", "DELETE FROM public.orders");
    }

    @Test
    void onTheMajorTheHoldNames_provisioningRecreatesTheTrigger_andClearsTheHold() {
        UpgradeReadiness.dropOwnEventTrigger(db.asSuperuser(), FAST, db.major() + 1);
        // what pg_upgrade leaves on the new server: the same comment, now naming the major the server runs
        db.sql("COMMENT ON SCHEMA " + EventTriggerSql.SCHEMA + " IS '" + UpgradeHold.marker(db.major()) + "'");

        Plan plan = provisioner.plan(spec);
        assertThat(plan.changes()).extracting(Change::toString).contains(
                "created event trigger " + EventTriggerSql.TRIGGER,
                "cleared the upgrade hold on schema " + EventTriggerSql.SCHEMA);
        assertThat(plan.notes()).noneMatch(UpgradeHold::isNote);
        provisioner.provision(spec);

        assertThat(db.value(TRIGGERS)).isEqualTo("1");
        assertThat(db.value(HOLD)).isEqualTo("(none)");
        assertThat(provisioner.plan(spec).isEmpty()).isTrue();
        db.sql("CREATE TABLE public.after_upgrade (id int)");
        assertThat(db.replicaIdentity("public.after_upgrade")).as("the trigger works again").isEqualTo("f");
    }

    @Test
    void aRelease_bringsTheTriggerBackOnTheOldMajor_andClearsTheHold() {
        UpgradeReadiness.dropOwnEventTrigger(db.asSuperuser(), FAST, db.major() + 1);
        ProvisioningSpec release = spec.withReleaseUpgradeHold(true);

        assertThat(new Verifier(db.asSuperuser()).verify(release).ready()).as("released: a missing trigger fails")
                .isFalse();
        provisioner.provision(release);

        assertThat(db.value(TRIGGERS)).isEqualTo("1");
        assertThat(db.value(HOLD)).isEqualTo("(none)");
        assertThat(provisioner.plan(spec).isEmpty()).as("and without the release nothing more").isTrue();
    }

    @Test
    void droppingForTheUpgrade_waitsForAProvisioningRunInProgress() throws Exception {
        String lock = DatabaseGuard.LOCK_CLASS + ", " + DatabaseGuard.LOCK_OBJECT;
        try (Connection run = db.connect(); Statement statement = run.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + lock + ")");
            CompletableFuture<Boolean> drop = CompletableFuture.supplyAsync(() ->
                    UpgradeReadiness.dropOwnEventTrigger(db.asSuperuser(), FAST, db.major() + 1));
            Thread.sleep(700);

            assertThat(drop).as("waits for the run").isNotDone();
            assertThat(db.value(TRIGGERS)).isEqualTo("1");
            statement.execute("SELECT pg_advisory_unlock(" + lock + ")");
            assertThat(drop.get(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(db.value(TRIGGERS)).isEqualTo("0");
    }

    @Test
    void aCommentSomeoneElseWroteOnOurSchema_isNoHold() {
        db.sql("DROP EVENT TRIGGER " + EventTriggerSql.TRIGGER,
                "COMMENT ON SCHEMA " + EventTriggerSql.SCHEMA + " IS 'owned by the platform team'");

        provisioner.provision(spec);

        assertThat(db.value(TRIGGERS)).isEqualTo("1");
        assertThat(db.value(HOLD)).isEqualTo("owned by the platform team");
    }
}
