package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.runbook.RunbookSql;
import io.cdcenabler.runbook.RunbookSql.OnError;
import io.cdcenabler.runbook.RunbookSql.Platform;
import io.cdcenabler.runbook.RunbookSql.ReadOnlyUser;
import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upgrade from a manual runbook install: provisioning removes the runbook's procedure, function and event
 * trigger, installs its own, and keeps the runbook's publication and role, so CDC clients need not resync.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class RunbookUpgradeTest {
    private static final RunbookSql RUNBOOK = RunbookSql.load();
    private static final String PASSWORD = "runbook-Pa55word";

    @Parameter
    String version;

    TestDatabase db;
    String cdcUser;

    @BeforeEach
    void runbookInstalled() {
        db = PostgresServers.freshDatabase(version);
        cdcUser = "bemi_" + db.name();
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.events (payload text)");
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET password_encryption = 'scram-sha-256'");
            RunbookSql.Result result = RUNBOOK.runAll(connection,
                    new ReadOnlyUser(Platform.SELF_MANAGED, cdcUser, PASSWORD), "bemi", OnError.STOP);
            assertThat(result.errors()).isEmpty();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        assertThat(runbookObjects()).hasSize(3);
        assertThat(db.replicaIdentity("public.events")).isEqualTo("f");
    }

    @Test
    void provision_overRunbookInstall_replacesItsObjectsKeepsPublicationAndRoleAndIsReady() {
        String publicationOid = db.value("SELECT oid FROM pg_publication WHERE pubname = 'bemi'");
        String roleOid = db.value("SELECT oid FROM pg_roles WHERE rolname = '" + cdcUser + "'");

        ProvisioningResult result = new Provisioner(db.asSuperuser()).provision(spec());

        assertThat(result.changes()).extracting(Change::toString).contains(
                "removed manual-runbook event trigger _bemi_set_replica_identity_trigger",
                "removed manual-runbook function _bemi_set_replica_identity_func()",
                "removed manual-runbook procedure _bemi_set_replica_identity()",
                "created event trigger cdc_enabler_keep_replica_identity_full")
                .doesNotContain("created publication bemi", "created role " + cdcUser);
        assertThat(runbookObjects()).isEmpty();
        assertThat(db.rows("SELECT evtname FROM pg_event_trigger"))
                .containsExactly("cdc_enabler_keep_replica_identity_full");
        assertThat(db.value("SELECT oid FROM pg_publication WHERE pubname = 'bemi'")).isEqualTo(publicationOid);
        assertThat(db.value("SELECT oid FROM pg_roles WHERE rolname = '" + cdcUser + "'")).isEqualTo(roleOid);
        assertThat(new Verifier(db.asSuperuser()).verify(spec()).failures()).isEmpty();
    }

    @Test
    void provision_overRunbookInstall_whenRerun_changesNothing() {
        Provisioner provisioner = new Provisioner(db.asSuperuser());
        provisioner.provision(spec());

        ProvisioningResult rerun = provisioner.provision(spec());

        assertThat(rerun.changes()).isEmpty();
    }

    @Test
    void plan_overRunbookInstall_dropsTheTriggerBeforeItsFunctionAndProcedure() {
        Plan plan = new Provisioner(db.asSuperuser()).plan(spec());

        assertThat(plan.statements()).containsSubsequence(
                "DROP EVENT TRIGGER _bemi_set_replica_identity_trigger",
                "DROP FUNCTION _bemi_set_replica_identity_func()",
                "DROP PROCEDURE _bemi_set_replica_identity()");
        assertThat(runbookObjects()).hasSize(3);
    }

    @Test
    void createTable_afterUpgrade_becomesFullEvenWithoutPublicInSearchPath() {
        new Provisioner(db.asSuperuser()).provision(spec());

        db.sql("CREATE SCHEMA other",
                "SET search_path = other",
                "CREATE TABLE public.later (id int)",
                "CREATE TABLE public.later_copy AS SELECT * FROM public.later");

        assertThat(db.replicaIdentity("public.later")).isEqualTo("f");
        assertThat(db.replicaIdentity("public.later_copy")).isEqualTo("f");
    }

    @Test
    void provision_selectedTablesOverRunbookPublication_refusesAndLeavesTheRunbookInPlace() {
        assertThatThrownBy(() -> new Provisioner(db.asSuperuser()).provision(ProvisioningSpec.builder()
                .trackingMode(TrackingMode.SELECTED_TABLES).tables(List.of(TableName.parse("public.orders")))
                .cdcUser(cdcUser).cdcPassword(Secret.of(PASSWORD)).build()))
                .isInstanceOf(ConflictingStateException.class).hasMessageContaining("FOR ALL TABLES");

        assertThat(runbookObjects()).hasSize(3);
        assertThat(db.value("SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'cdc_enabler%'")).isEqualTo("0");
    }

    private ProvisioningSpec spec() {
        return ProvisioningSpec.builder().publication("bemi").trackingMode(TrackingMode.ALL_TABLES)
                .schemas(List.of("public")).cdcUser(cdcUser).cdcPassword(Secret.of(PASSWORD)).build();
    }

    private List<String> runbookObjects() {
        return db.rows("""
                SELECT 'event trigger ' || evtname FROM pg_event_trigger
                WHERE evtname = '_bemi_set_replica_identity_trigger'
                UNION ALL
                SELECT 'routine ' || oid::regprocedure::text FROM pg_proc
                WHERE proname IN ('_bemi_set_replica_identity', '_bemi_set_replica_identity_func')""");
    }
}
