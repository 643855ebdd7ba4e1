package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.postgres.LockPolicy;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.postgres.TrackingMode;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cdc-enabler prepare-upgrade}: usage errors (exit 2, before any AWS call), the dry run's text, --json, and
 * exit 3 when blockers are listed (the work was still done: group created, our trigger dropped).
 */
class PrepareUpgradeCommandTest {
    private static final String TRIGGER = "cdc_enabler_keep_replica_identity_full";

    private final FakeRds rds = new FakeRds().asynchronousApply(false);
    private final List<String> regions = new ArrayList<>();
    private TestDatabase db;
    private String slot;

    @AfterEach
    void dropSlot() {
        if (slot != null) {
            db.sql("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    @BeforeEach
    void enrolledDatabase() {
        db = PostgresServers.freshDatabase(PostgresServers.versions().get(0));
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY)");
        new Provisioner(db.asSuperuser()).provision(ProvisioningSpec.builder().publication("bemi")
                .trackingMode(TrackingMode.ALL_TABLES).schemas(List.of("public")).cdcUser("cdc_" + db.name())
                .cdcPassword(Secret.of("cdc-Pa55word"))
                .lockPolicy(new LockPolicy(Duration.ofSeconds(2), 500, 2, Duration.ofMillis(50))).build());
        rds.addInstance("app-db", "postgres", db.major() + ".20");
    }

    private CliRunner.Result run(String... options) {
        List<String> args = new ArrayList<>(List.of("prepare-upgrade", "--jdbc-url", db.url(), "--user", "postgres"));
        args.addAll(List.of(options));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CdcEnablerCommand command = new CdcEnablerCommand(new PasswordSources(name -> null,
                new ByteArrayInputStream(new byte[0])), name -> null, CliRunner.NO_AWS);
        command.rdsClients = region -> {
            regions.add(String.valueOf(region));
            return rds;
        };
        int exit = command.execute(args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new CliRunner.Result(exit, out.toString(), err.toString());
    }

    /** The application's own event trigger: a blocker on every version (prepare-upgrade never drops it). */
    private void applicationEventTrigger() {
        db.sql("CREATE TABLE public.ddl_log (tag text)",
                "CREATE FUNCTION public.app_audit() RETURNS event_trigger LANGUAGE plpgsql AS "
                        + "$$ BEGIN INSERT INTO public.ddl_log VALUES (tg_tag); END $$",
                "CREATE EVENT TRIGGER app_audit ON ddl_command_end WHEN TAG IN ('CREATE TABLE') "
                        + "EXECUTE FUNCTION public.app_audit()");
    }

    private CliRunner.Result provision(String... extra) {
        List<String> args = new ArrayList<>(List.of("provision", "--jdbc-url", db.url(), "--user", "postgres",
                "--cdc-user", "cdc_" + db.name()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void theHold_keepsProvisionFromBringingTheTriggerBack_butNotFromCatchingUp_untilReleased() {
        assertThat(run("--instance", "app-db", "--target-version", "17").exitCode()).isZero();
        db.sql("CREATE TABLE public.refunds (id int PRIMARY KEY)");

        CliRunner.Result held = provision();

        assertThat(held.exitCode()).as(held.err()).isZero();
        assertThat(held.out()).contains("held for the major version upgrade to PostgreSQL 17");
        assertThat(db.replicaIdentity("public.refunds")).isEqualTo("f");
        assertThat(triggers()).isEmpty();

        CliRunner.Result released = provision("--release-upgrade-hold");

        assertThat(released.exitCode()).as(released.err()).isZero();
        assertThat(triggers()).containsExactly(TRIGGER);
        assertThat(provision().exitCode()).isZero();
        assertThat(triggers()).containsExactly(TRIGGER);
    }

    private List<String> triggers() {
        return db.rows("SELECT evtname FROM pg_event_trigger ORDER BY evtname");
    }

    @Test
    void badTargetVersion_isAUsageErrorBeforeAnyAwsCall() {
        CliRunner.Result result = run("--instance", "app-db", "--target-version", "latest");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--target-version must be a PostgreSQL major or full version", "'latest'");
        assertThat(regions).as("no client was built").isEmpty();
    }

    @Test
    void instanceAndCluster_orNeither_isAUsageError() {
        CliRunner.Result both = run("--instance", "app-db", "--cluster", "c", "--target-version", "17");
        CliRunner.Result neither = run("--target-version", "17");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(regions).isEmpty();
    }

    @Test
    void targetNotAboveTheCurrentMajor_isAUsageErrorNamingBoth() {
        String before = rds.snapshot();

        CliRunner.Result result = run("--instance", "app-db", "--target-version", String.valueOf(db.major()));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--target-version " + db.major() + " is not above",
                "runs " + db.major() + ".20", "nothing was changed");
        assertThat(rds.snapshot()).isEqualTo(before);
        assertThat(triggers()).containsExactly(TRIGGER);
    }

    @Test
    void dryRun_printsThePlanAndChangesNothing() {
        String before = rds.snapshot();

        CliRunner.Result result = run("--instance", "app-db", "--target-version", "17", "--dry-run",
                "--region", "eu-west-1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(regions).containsExactly("eu-west-1");
        assertThat(result.out()).contains("Dry run (nothing changed): upgrade of app-db from " + db.major()
                        + ".20 to 17.6",
                "DB parameter group cdc-enabler-app-db-postgres17 (family postgres17): would be created",
                "aws rds modify-db-instance --db-instance-identifier app-db --engine-version 17.6 "
                        + "--allow-major-version-upgrade --db-parameter-group-name cdc-enabler-app-db-postgres17 "
                        + "--apply-immediately --region eu-west-1",
                "3. Blockers: none.", "present; a run without --dry-run drops it (last)",
                "recreates the event trigger and catches up the tables created meanwhile");
        assertThat(rds.snapshot()).isEqualTo(before);
        assertThat(triggers()).containsExactly(TRIGGER);
    }

    @Test
    void json_run_createsTheGroupAndDropsTheTrigger() throws Exception {
        CliRunner.Result result = run("--instance", "app-db", "--target-version", "17.4", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode document = new ObjectMapper().readTree(result.out());
        assertThat(document.get("ok").asBoolean()).isTrue();
        assertThat(document.get("blocked").asBoolean()).isFalse();
        assertThat(document.get("dryRun").asBoolean()).isFalse();
        assertThat(document.get("engineVersion").asText()).isEqualTo("17.4");
        assertThat(document.get("parameterGroup").get("change").asText()).isEqualTo("CREATE");
        assertThat(document.get("parameterGroup").get("parameters").get("rds.logical_replication").asText())
                .isEqualTo("1");
        assertThat(document.get("command").asText()).contains("--engine-version 17.4");
        assertThat(document.get("eventTrigger").asText()).isEqualTo("DROPPED");
        assertThat(rds.dbParameterGroup("cdc-enabler-app-db-postgres17")).isNotNull();
        assertThat(triggers()).isEmpty();
    }

    @Test
    void run_withoutBlockers_exitsZeroAndCreatesTheGroup() {
        CliRunner.Result result = run("--instance", "app-db", "--target-version", "17");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("3. Blockers: none.", "4. Our event trigger: dropped now.");
        assertThat(rds.dbParameterGroup("cdc-enabler-app-db-postgres17")).isNotNull();
        assertThat(triggers()).isEmpty();
    }

    @Test
    void run_withTheApplicationsEventTrigger_exits3AfterDoingTheWork() {
        applicationEventTrigger();

        CliRunner.Result result = run("--instance", "app-db", "--target-version", "17");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(CdcEnablerCommand.BLOCKED).isEqualTo(3);
        assertThat(result.out()).contains("3. Blockers (act on these before running the command):",
                "event trigger app_audit of the application", "4. Our event trigger: dropped now.");
        assertThat(rds.dbParameterGroup("cdc-enabler-app-db-postgres17").family()).isEqualTo("postgres17");
        assertThat(triggers()).as("only ours was dropped").containsExactly("app_audit");
        db.sql("CREATE TABLE public.invoices (id int PRIMARY KEY)", "INSERT INTO public.orders VALUES (1)");
        assertThat(db.rows("SELECT tag FROM public.ddl_log")).as("the application's trigger still fires")
                .containsExactly("CREATE TABLE");
    }

    @Test
    void json_withALogicalSlotBelow17_printsTheDocumentAndExits3() throws Exception {
        assertThat(db.major()).as("slots block only below 17").isLessThan(17);
        slot = "upg_" + db.name();
        db.sql("SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");

        CliRunner.Result result = run("--instance", "app-db", "--target-version", "17", "--json");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        JsonNode document = new ObjectMapper().readTree(result.out());
        assertThat(document.get("ok").asBoolean()).as("the work was done").isTrue();
        assertThat(document.get("blocked").asBoolean()).as("as exit status 3 says").isTrue();
        assertThat(document.get("blockers")).hasSize(1);
        assertThat(document.get("blockers").get(0).get("kind").asText()).isEqualTo("LOGICAL_SLOT");
        assertThat(document.get("blockers").get(0).get("name").asText()).isEqualTo(slot);
        assertThat(document.get("parameterGroup").get("change").asText()).isEqualTo("CREATE");
        assertThat(document.get("eventTrigger").asText()).isEqualTo("DROPPED");
        assertThat(rds.dbParameterGroup("cdc-enabler-app-db-postgres17")).isNotNull();
        assertThat(triggers()).isEmpty();
        assertThat(db.rows("SELECT slot_name FROM pg_replication_slots WHERE slot_name = '" + slot + "'"))
                .as("never touched").containsExactly(slot);
    }

    @Test
    void dryRun_withABlocker_exits3AndChangesNothing() {
        applicationEventTrigger();
        String before = rds.snapshot();

        CliRunner.Result result = run("--instance", "app-db", "--target-version", "17", "--dry-run");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(3);
        assertThat(result.out()).contains("would be created", "event trigger app_audit of the application");
        assertThat(rds.snapshot()).isEqualTo(before);
        assertThat(triggers()).containsExactly("app_audit", TRIGGER);
    }

    @Test
    void help_namesEveryExitStatus() {
        CliRunner.Result help = CliRunner.run("prepare-upgrade", "--help");
        CliRunner.Result top = CliRunner.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("0 prepared and nothing blocks the upgrade",
                "1 the work failed", "2 bad usage", "3 prepared (also with --dry-run or --json) but blockers are "
                        + "listed");
        assertThat(top.out().replaceAll("\\s+", " ")).contains("3 prepare-upgrade did its work but listed blockers");
    }
}
