package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Teardown removes what provisioning installed, and only that, and a second teardown finds nothing left to do. */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class TeardownTest {
    private static final String PUBLICATION = "bemi";
    private static final LockPolicy FAST = new LockPolicy(Duration.ofSeconds(2), 500, 2, Duration.ofMillis(50));

    @Parameter
    String version;

    TestDatabase db;
    String cdcUser;
    Provisioner provisioner;

    @BeforeEach
    void provisionedDatabase() {
        db = PostgresServers.freshDatabase(version);
        cdcUser = "cdc_" + db.name();
        provisioner = new Provisioner(db.asSuperuser());
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.events (payload text)",
                "CREATE SCHEMA billing",
                "CREATE TABLE billing.invoices (id int, total numeric)",
                "CREATE TABLE public.readings (id int, region text) PARTITION BY LIST (region)",
                "CREATE TABLE billing.readings_eu PARTITION OF public.readings FOR VALUES IN ('eu')");
        provisioner.provision(ProvisioningSpec.builder().publication(PUBLICATION).trackingMode(TrackingMode.ALL_TABLES)
                .schemas(List.of("public", "billing")).cdcUser(cdcUser).cdcPassword(Secret.of("cdc-Pa55word"))
                .lockPolicy(FAST).build());
        assertThat(db.replicaIdentity("public.events")).isEqualTo("f");
    }

    @Test
    void teardown_removesTriggerFunctionSchemaAndPublication() {
        List<Change> changes = provisioner.teardown(options(false, Optional.empty()));

        assertThat(changes).extracting(Change::toString).containsExactly(
                "dropped event trigger cdc_enabler_keep_replica_identity_full",
                "dropped function cdc_enabler.keep_replica_identity_full()",
                "dropped schema cdc_enabler",
                "dropped publication bemi");
        assertThat(db.value("SELECT count(*) FROM pg_event_trigger")).isEqualTo("0");
        assertThat(db.value("SELECT count(*) FROM pg_proc WHERE proname = 'keep_replica_identity_full'"))
                .isEqualTo("0");
        assertThat(db.value("SELECT count(*) FROM pg_namespace WHERE nspname = 'cdc_enabler'")).isEqualTo("0");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    @Test
    void teardown_withoutResetOrDropUser_keepsIdentityAndRole() {
        provisioner.teardown(options(false, Optional.empty()));

        assertThat(identities()).containsOnly("f");
        assertThat(roleExists()).isTrue();
    }

    @Test
    void teardown_withResetReplicaIdentity_setsEveryTrackedTableBackToDefault() {
        db.sql("CREATE SCHEMA untouched",
                "CREATE TABLE untouched.kept_full (id int)",
                "ALTER TABLE untouched.kept_full REPLICA IDENTITY FULL");

        provisioner.teardown(options(true, Optional.empty()));

        assertThat(identities()).containsOnly("d");
        assertThat(db.replicaIdentity("billing.readings_eu")).isEqualTo("d");
        assertThat(db.replicaIdentity("untouched.kept_full")).isEqualTo("f");
    }

    @Test
    void teardown_withDropUser_removesTheRoleAndItsGrants() {
        provisioner.teardown(options(true, Optional.of(cdcUser)));

        assertThat(roleExists()).isFalse();
        assertThat(db.value("SELECT count(*) FROM pg_default_acl")).isEqualTo("0");
    }

    @Test
    void teardown_whenRunTwice_reportsNoChangeTheSecondTime() {
        provisioner.teardown(options(true, Optional.of(cdcUser)));

        List<Change> second = provisioner.teardown(options(true, Optional.of(cdcUser)));

        assertThat(second).isEmpty();
    }

    @Test
    void teardown_withDropUser_ofARoleUsedByTwoDatabases_keepsItUntilTheLast_inEitherOrder() {
        TestDatabase other = PostgresServers.freshDatabase(version);
        other.sql("CREATE TABLE public.elsewhere (id int PRIMARY KEY)");
        new Provisioner(other.asSuperuser()).provision(ProvisioningSpec.builder().publication(PUBLICATION)
                .cdcUser(cdcUser).cdcPassword(Secret.of("cdc-Pa55word")).lockPolicy(FAST).build());

        List<Change> first = provisioner.teardown(options(true, Optional.of(cdcUser)));

        assertThat(roleExists()).isTrue();
        assertThat(first).extracting(Change::toString)
                .anySatisfy(line -> assertThat(line).startsWith("kept role").contains(other.name()))
                .doesNotContain("dropped role " + cdcUser);
        assertThat(db.value("SELECT count(*) FROM pg_event_trigger")).isEqualTo("0");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
        assertThat(db.value("SELECT count(*) FROM pg_class c, aclexplode(c.relacl) a WHERE a.grantee = "
                + "(SELECT oid FROM pg_roles WHERE rolname = '" + cdcUser + "')")).isEqualTo("0");

        List<Change> last = new Provisioner(other.asSuperuser())
                .teardown(new Provisioner.TeardownOptions(PUBLICATION, List.of("public"), true,
                        Optional.of(cdcUser), FAST));

        assertThat(last).extracting(Change::toString).contains("dropped role " + cdcUser);
        assertThat(roleExists()).isFalse();
    }

    @Test
    void teardown_ofAnotherPublication_keepsTheEventTriggerOfTheProvisionedOne() {
        db.sql("CREATE PUBLICATION unrelated FOR TABLE public.orders");

        provisioner.teardown(new Provisioner.TeardownOptions("unrelated", List.of("public"), false,
                Optional.empty(), FAST));

        db.sql("CREATE TABLE public.later (id int)");
        assertThat(db.value("SELECT count(*) FROM pg_publication WHERE pubname = 'bemi'")).isEqualTo("1");
        assertThat(db.replicaIdentity("public.later")).as("new table while publication bemi is FOR ALL TABLES")
                .isEqualTo("f");
    }

    @Test
    void createTable_afterTeardown_worksAndStaysDefault() {
        provisioner.teardown(options(true, Optional.of(cdcUser)));

        db.sql("CREATE TABLE public.later (id int)",
                "CREATE TABLE public.later_copy AS SELECT * FROM public.later",
                "INSERT INTO public.events VALUES ('x')",
                "UPDATE public.events SET payload = 'y'");

        assertThat(db.replicaIdentity("public.later")).isEqualTo("d");
        assertThat(db.replicaIdentity("public.later_copy")).isEqualTo("d");
    }

    @Test
    void teardown_withDropUserNamingTheAdmin_throwsInvalidSpecAndChangesNothing() {
        assertThatThrownBy(() -> provisioner.teardown(options(true, Optional.of("postgres"))))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("postgres");

        assertThat(db.value("SELECT count(*) FROM pg_event_trigger")).isEqualTo("1");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("1");
        assertThat(identities()).containsOnly("f");
    }

    @Test
    void teardown_ofSelectedTablesPublication_resetsItsTablesAndLeavesOthers() {
        provisioner.teardown(options(true, Optional.empty()));
        db.sql("ALTER TABLE public.events REPLICA IDENTITY FULL");
        provisioner.provision(ProvisioningSpec.builder().publication("picked")
                .trackingMode(TrackingMode.SELECTED_TABLES).tables(List.of(TableName.parse("public.orders")))
                .credentialsMode(CredentialsMode.MASTER).lockPolicy(FAST).build());

        List<Change> changes = provisioner.teardown(new Provisioner.TeardownOptions("picked", List.of("public"), true,
                Optional.empty(), FAST));

        assertThat(changes).extracting(Change::toString)
                .contains("dropped publication picked", "set REPLICA IDENTITY DEFAULT on public.orders")
                .doesNotContain("set REPLICA IDENTITY DEFAULT on public.events");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
        assertThat(db.replicaIdentity("public.orders")).isEqualTo("d");
        assertThat(db.replicaIdentity("public.events")).isEqualTo("f");
    }

    private Provisioner.TeardownOptions options(boolean reset, Optional<String> dropUser) {
        return new Provisioner.TeardownOptions(PUBLICATION, List.of("public", "billing"), reset, dropUser, FAST);
    }

    private List<String> identities() {
        return db.rows("SELECT DISTINCT relreplident FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname IN ('public', 'billing') AND c.relkind IN ('r', 'p')");
    }

    private boolean roleExists() {
        return "1".equals(db.value("SELECT count(*) FROM pg_roles WHERE rolname = '" + cdcUser + "'"));
    }
}
