package io.cdcenabler.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.embedded.EmbeddedPostgresLauncher;
import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.rds.ParameterGroupEnsurer;
import io.cdcenabler.rds.ParameterGroupPlanner;
import io.cdcenabler.rds.RdsDriftCheck;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.testing.AdminSecretJson;
import io.cdcenabler.testing.FakeRds;
import io.cdcenabler.testing.FakeRdsWorld;
import io.cdcenabler.testing.FakeSecretsManager;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import io.cdcenabler.workflow.DatabaseUnavailableException;
import io.cdcenabler.workflow.Drift;
import io.cdcenabler.workflow.DriftReport;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.RequestTrackingMode;
import io.cdcenabler.workflow.StepOutcomes.CredentialsReference;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.ThrottledException;
import io.cdcenabler.workflow.WorkflowState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.rds.model.ApplyMethod;

/**
 * The drift check over a target enrolled for real: FakeRds through TargetResolver and ParameterGroupEnsurer, the
 * embedded PostgreSQL through ProvisionStep with the secrets in FakeSecretsManager. Each drift is then made for real
 * (an RDS API call on the fake, SQL on the database) and must show as its kind, and a check must change nothing.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class CheckDriftStepTest {
    private static final String ID = "orders-db";
    private static final String PUBLICATION = "bemi";

    private static EmbeddedPostgresLauncher.RunningPostgres replicaLevel;

    @Parameter
    String version;

    TestDatabase db;
    FakeRds rds;
    FakeSecretsManager secrets;
    String masterArn;
    ProvisioningRequest request;
    String group;
    int secretCallsAfterEnrolment;

    @BeforeEach
    void enrolledTarget() {
        db = PostgresServers.freshDatabase(version);
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.items (id int PRIMARY KEY, order_id int)",
                "CREATE TABLE public.events (id int, at date NOT NULL) PARTITION BY RANGE (at)",
                "CREATE TABLE public.events_2026 PARTITION OF public.events FOR VALUES FROM ('2026-01-01') "
                        + "TO ('2027-01-01')");
        secrets = new FakeSecretsManager();
        // The superuser is trusted by pg_hba.conf, so any admin password logs in; it only has to stay secret.
        masterArn = secrets.seed("rds!db-" + UUID.randomUUID(),
                AdminSecretJson.of("postgres", "adm-" + UUID.randomUUID()));
        rds = account(masterArn, "16.4");
        request = ProvisioningRequest.builder().instanceIdentifier(ID).database(db.name())
                .trackingMode(RequestTrackingMode.SELECTED_TABLES)
                .tables(List.of("public.orders", "public.items", "public.events"))
                .cdcUser("cdc_" + db.name()).publication(PUBLICATION).build();
        group = enrol();
        secretCallsAfterEnrolment = secrets.calls();
    }

    /** An account with the one PostgreSQL instance, tagged for opt-in, on its default group. */
    private FakeRds account(String masterArn, String engineVersion) {
        FakeRds account = new FakeRds().asynchronousApply(false);
        account.addInstance(ID, "postgres", engineVersion).tag(FakeRdsWorld.TAG_KEY, "true").dbName(db.name())
                .masterSecret(masterArn);
        return account;
    }

    /** DescribeTarget, EnsureParameterGroup, the reboot, ReadCredentials and Provision; returns our group's name. */
    private String enrol() {
        TargetDescription target = new TargetResolver(rds, FakeRdsWorld.DEFAULTS).describe(request);
        String ours = new ParameterGroupEnsurer(rds, new ParameterGroupPlanner())
                .ensure(new WorkflowState(target, null, null, null, null, null, null)).parameterGroupName();
        rds.rebootDBInstance(r -> r.dbInstanceIdentifier(ID));
        while (!"available".equals(rds.instance(ID).status())) {
            rds.describeDBInstances(r -> r.dbInstanceIdentifier(ID));
        }
        AdminSecrets admin = new AdminSecrets(secrets);
        CredentialsReference credentials = admin.resolve(target);
        new ProvisionStep(admin, new CdcSecretStore(secrets), connections())
                .provision(new WorkflowState(target, null, null, null, credentials, null, null));
        return ours;
    }

    private TargetConnections connections() {
        return (target, user, password) -> new JdbcConnectionSource(db.url(), user, password, new Properties());
    }

    private CheckDriftStep step() {
        return new CheckDriftStep(new RdsDriftCheck(rds, FakeRdsWorld.DEFAULTS), new AdminSecrets(secrets),
                connections());
    }

    private DriftReport check() {
        return step().check(request, group);
    }

    /** REPLICA IDENTITY DEFAULT past our event trigger (which would set FULL again): it fires in origin mode only. */
    private void identityDefault(String table) {
        db.sql("SET session_replication_role = replica", "ALTER TABLE " + table + " REPLICA IDENTITY DEFAULT");
        assertThat(db.replicaIdentity(table)).isEqualTo("d");
    }

    private static List<String> kinds(DriftReport report) {
        return report.drifts().stream().map(Drift::kind).toList();
    }

    @Test
    void freshlyEnrolled_hasNoDrift() {
        DriftReport report = check();

        assertThat(report.drifts()).isEmpty();
        assertThat(report.drifted()).isFalse();
        assertThat(report.rebootNeeded()).isFalse();
        assertThat(report.engineVersion()).isEqualTo("16.4");
        assertThat(report.parameterGroupName()).isEqualTo(group).isEqualTo("cdc-enabler-orders-db-postgres16");
    }

    @Test
    void freshlyEnrolledForAllTables_hasNoDriftAndAnUntrackedIdentityIsOne() {
        db = PostgresServers.freshDatabase(version);
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)");
        rds = account(masterArn, "16.4");
        request = ProvisioningRequest.builder().instanceIdentifier(ID).database(db.name())
                .trackingMode(RequestTrackingMode.ALL_TABLES).schemas(List.of("public"))
                .cdcUser("cdc_" + db.name()).publication(PUBLICATION).build();
        group = enrol();

        assertThat(check().drifts()).isEmpty();

        identityDefault("public.orders");
        assertThat(check().drifts()).containsExactly(new Drift(Drift.REPLICA_IDENTITY,
                "public.orders replica identity DEFAULT, want FULL"));
    }

    @Test
    void movedToAnotherGroup_isParameterGroupAndItsMissingValue() {
        rds.modifyDBInstance(r -> r.dbInstanceIdentifier(ID).dbParameterGroupName("default.postgres16"));

        DriftReport report = check();

        assertThat(report.drifted()).isTrue();
        assertThat(kinds(report)).first().isEqualTo(Drift.PARAMETER_GROUP);
        assertThat(kinds(report).subList(1, kinds(report).size())).isNotEmpty().allMatch(Drift.PARAMETER_VALUE::equals);
        assertThat(report.drifts().get(0).detail()).isEqualTo("DB instance " + ID + " uses parameter group "
                + "default.postgres16, not " + group + " recorded at enrolment");
        assertThat(report.drifts()).contains(new Drift(Drift.PARAMETER_VALUE, "parameter group default.postgres16 "
                + "has rds.logical_replication unset, want 1"));
        assertThat(report.rebootNeeded()).isTrue();
    }

    @Test
    void logicalReplicationOffInOurGroup_isParameterValue() {
        rds.modifyDBParameterGroup(r -> r.dbParameterGroupName(group).parameters(p -> p
                .parameterName(ParameterGroupPlanner.LOGICAL_REPLICATION).parameterValue("0")
                .applyMethod(ApplyMethod.PENDING_REBOOT)));

        DriftReport report = check();

        assertThat(kinds(report)).containsExactly(Drift.PARAMETER_VALUE);
        assertThat(report.drifts().get(0).detail())
                .isEqualTo("parameter group " + group + " has rds.logical_replication=0, want 1");
        assertThat(report.drifted()).isTrue();
        assertThat(report.rebootNeeded()).isTrue();
    }

    @Test
    void tableBackToDefaultIdentity_isReplicaIdentity() {
        identityDefault("public.orders");

        DriftReport report = check();

        assertThat(report.drifts()).containsExactly(new Drift(Drift.REPLICA_IDENTITY,
                "public.orders replica identity DEFAULT, want FULL"));
        assertThat(report.drifted()).isTrue();
    }

    @Test
    void eventTriggerDropped_isEventTrigger() {
        db.sql("DROP EVENT TRIGGER cdc_enabler_keep_replica_identity_full");

        DriftReport report = check();

        assertThat(kinds(report)).containsExactly(Drift.EVENT_TRIGGER);
        assertThat(report.drifts().get(0).detail()).contains("cdc_enabler_keep_replica_identity_full");
    }

    @Test
    void tableRemovedFromPublication_isPublication() {
        db.sql("ALTER PUBLICATION " + PUBLICATION + " DROP TABLE public.items");

        DriftReport report = check();

        assertThat(kinds(report)).containsExactly(Drift.PUBLICATION);
        assertThat(report.drifts().get(0).detail()).contains(PUBLICATION).contains("public.items");
    }

    @Test
    void cdcRoleDropped_isCdcRole() {
        String role = request.cdcUser();
        db.sql("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM " + role, "REVOKE ALL ON SCHEMA public FROM " + role,
                "REVOKE ALL ON DATABASE " + db.name() + " FROM " + role, "DROP ROLE " + role);

        DriftReport report = check();

        assertThat(kinds(report)).isNotEmpty().allMatch(Drift.CDC_ROLE::equals);
        assertThat(report.drifts().get(0).detail()).isEqualTo("enrolling again would create role " + role);
    }

    @Test
    void targetDeleted_isTargetGoneAndNotRepairable() {
        rds = new FakeRds();

        DriftReport report = check();

        assertThat(kinds(report)).containsExactly(Drift.TARGET_GONE);
        assertThat(report.drifts().get(0).detail()).contains(ID);
        assertThat(report.targetGone()).isTrue();
        assertThat(report.drifted()).isFalse();
        assertThat(report.engineVersion()).isNull();
        assertThat(secrets.calls()).as("no secret read for a target that is gone").isEqualTo(secretCallsAfterEnrolment);
    }

    @Test
    void majorUpgradeOntoTheDefaultGroup_isEngineMajor() {
        // The account after RDS upgraded the instance to 17, which moved it to the default group of the new family.
        rds = account(masterArn, "17.2");

        DriftReport report = check();

        assertThat(kinds(report).subList(0, 2)).containsExactly(Drift.PARAMETER_GROUP, Drift.ENGINE_MAJOR);
        assertThat(kinds(report).subList(2, kinds(report).size())).isNotEmpty()
                .allMatch(Drift.PARAMETER_VALUE::equals);
        assertThat(report.drifts().get(1).detail()).contains("17.2").contains("postgres17").contains(group)
                .contains("cdc-enabler-orders-db-postgres17");
        assertThat(report.engineVersion()).isEqualTo("17.2");
    }

    @Test
    void checkOfADriftedTarget_changesNothing() {
        rds.modifyDBParameterGroup(r -> r.dbParameterGroupName(group).parameters(p -> p
                .parameterName(ParameterGroupPlanner.LOGICAL_REPLICATION).parameterValue("0")
                .applyMethod(ApplyMethod.PENDING_REBOOT)));
        identityDefault("public.orders");
        db.sql("DROP EVENT TRIGGER cdc_enabler_keep_replica_identity_full",
                "ALTER PUBLICATION " + PUBLICATION + " DROP TABLE public.items");
        List<String> catalog = catalog();
        String account = rds.snapshot();
        Map<String, String> stored = secrets.snapshot();
        int writes = rdsWrites();
        int secretCalls = secrets.calls();

        DriftReport report = check();

        assertThat(kinds(report)).containsExactlyInAnyOrder(Drift.PARAMETER_VALUE, Drift.REPLICA_IDENTITY,
                Drift.EVENT_TRIGGER, Drift.PUBLICATION);
        assertThat(catalog()).isEqualTo(catalog);
        assertThat(rds.snapshot()).isEqualTo(account);
        assertThat(secrets.snapshot()).isEqualTo(stored);
        assertThat(rdsWrites()).isEqualTo(writes);
        assertThat(secrets.calls() - secretCalls).as("one GetSecretValue of the admin secret, no write").isEqualTo(1);
    }

    /** The RDS calls that change something, made so far. */
    private int rdsWrites() {
        return List.of("ModifyDBParameterGroup", "ModifyDBInstance", "CreateDBParameterGroup", "CopyDBParameterGroup",
                "RebootDBInstance", "ModifyDBCluster", "ModifyDBClusterParameterGroup", "CreateDBClusterParameterGroup",
                "RebootDBCluster").stream().mapToInt(rds::calls).sum();
    }

    /** What a check could change in the database: identities, publication, triggers, roles, slots, comments. */
    private List<String> catalog() {
        return List.of(
                String.join(",", db.rows("SELECT c.oid::regclass::text || '=' || c.relreplident::text FROM pg_class c "
                        + "WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') ORDER BY 1")),
                String.join(",", db.rows("SELECT pubname || ':' || schemaname || '.' || tablename "
                        + "FROM pg_publication_tables ORDER BY 1")),
                String.join(",", db.rows("SELECT pubname || ':' || pubinsert || pubupdate || pubdelete "
                        + "|| pubtruncate || pubviaroot FROM pg_publication ORDER BY 1")),
                String.join(",", db.rows("SELECT evtname || ':' || evtenabled::text || ':' || evtfoid::regproc::text "
                        + "FROM pg_event_trigger ORDER BY 1")),
                String.join(",", db.rows("SELECT r.rolname || ':' || r.rolcanlogin || ':' || coalesce("
                        + "shobj_description(r.oid, 'pg_authid'), '') FROM pg_roles r "
                        + "WHERE r.rolname NOT LIKE 'pg\\_%' ORDER BY 1")),
                String.join(",", db.rows("SELECT slot_name FROM pg_replication_slots ORDER BY 1")),
                String.join(",", db.rows("SELECT coalesce(obj_description(p.oid, 'pg_proc'), '') || md5(p.prosrc) "
                        + "FROM pg_proc p WHERE p.pronamespace = 'cdc_enabler'::regnamespace ORDER BY 1")),
                String.join(",", db.rows("SELECT grantee || ':' || table_name || ':' || privilege_type "
                        + "FROM information_schema.role_table_grants WHERE table_schema = 'public' ORDER BY 1")));
    }

    /** A server whose wal_level is replica: an RDS writer whose rds.logical_replication=1 waits for its reboot. */
    private static synchronized EmbeddedPostgresLauncher.RunningPostgres replicaLevelServer() {
        if (replicaLevel == null) {
            replicaLevel = EmbeddedPostgresLauncher.builder().binariesJar(EmbeddedPostgresLauncher
                    .binariesJarForVersion(PostgresServers.newest())).serverConfig("wal_level", "replica").start();
            Runtime.getRuntime().addShutdownHook(new Thread(replicaLevel::close));
        }
        return replicaLevel;
    }

    @Test
    void walLevelNotLogical_isWalLevel_namingTheValue_andChangesNothing() throws Exception {
        EmbeddedPostgresLauncher.RunningPostgres server = replicaLevelServer();
        String name = "wal_" + db.name();
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        try (Connection app = server.connect(name); Statement statement = app.createStatement()) {
            statement.execute("CREATE TABLE public.orders (id int PRIMARY KEY, status text)");
            statement.execute("CREATE TABLE public.items (id int PRIMARY KEY, order_id int)");
            statement.execute("CREATE TABLE public.events (id int, at date NOT NULL) PARTITION BY RANGE (at)");
        }
        CheckDriftStep step = new CheckDriftStep(new RdsDriftCheck(rds, FakeRdsWorld.DEFAULTS),
                new AdminSecrets(secrets), (target, user, password) -> new JdbcConnectionSource(
                        server.jdbcUrl(name), user, password, new Properties()));
        String account = rds.snapshot();

        DriftReport report = step.check(request, group);

        assertThat(report.drifted()).isTrue();
        assertThat(report.drifts()).anySatisfy(drift -> {
            assertThat(drift.kind()).isEqualTo(Drift.WAL_LEVEL);
            assertThat(drift.detail()).contains("wal_level replica, want logical");
        });
        assertThat(rds.snapshot()).isEqualTo(account);
        try (Connection app = server.connect(name); Statement statement = app.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM pg_publication")) {
            rows.next();
            assertThat(rows.getInt(1)).as("a check creates nothing").isZero();
        }
    }

    @Test
    void throttledRds_staysThrottled() {
        rds.failNext("DescribeDBInstances", FakeRds.throttling());

        assertThatThrownBy(this::check).isInstanceOf(ThrottledException.class);
    }

    @Test
    void databaseRefusingConnections_isDatabaseUnavailable() {
        CheckDriftStep step = new CheckDriftStep(new RdsDriftCheck(rds, FakeRdsWorld.DEFAULTS),
                new AdminSecrets(secrets), (target, user, password) -> new JdbcConnectionSource(
                        "jdbc:postgresql://127.0.0.1:1/" + db.name(), user, password, new Properties()));

        assertThatThrownBy(() -> step.check(request, group)).isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("checking database " + db.name() + " of " + ID + " for drift");
    }
}
