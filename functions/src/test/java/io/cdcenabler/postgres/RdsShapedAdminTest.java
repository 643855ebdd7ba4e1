package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine run by an admin shaped like RDS's master user: not a superuser, but CREATEROLE, CREATEDB, owner of the
 * database and member of a role named rds_superuser. Vanilla PostgreSQL gives that role none of RDS's extra powers,
 * so every privilege the engine needs beyond what such an admin holds shows up here, before a customer's database.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class RdsShapedAdminTest {
    private static final String ADMIN_PASSWORD = "admin-Pa55word";
    private static final String CDC_PASSWORD = "cdc-Pa55word";
    private static final LockPolicy FAST = new LockPolicy(Duration.ofSeconds(2), 500, 2, Duration.ofMillis(50));
    private static final TableName ORDERS = TableName.parse("public.orders");
    private static final TableName EVENTS = TableName.parse("public.events");

    @Parameter
    String version;

    TestDatabase db;
    String admin;
    String cdcUser;
    Provisioner asAdmin;

    @BeforeEach
    void databaseOwnedByRdsShapedAdmin() {
        db = PostgresServers.freshDatabase(version);
        admin = "admin_" + db.name();
        cdcUser = "cdc_" + db.name();
        db.sql("DO $$ BEGIN CREATE ROLE rds_superuser NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
                "SET password_encryption = 'scram-sha-256'",
                "CREATE ROLE " + admin + " LOGIN CREATEROLE CREATEDB NOSUPERUSER PASSWORD '" + ADMIN_PASSWORD + "'",
                "GRANT rds_superuser TO " + admin,
                "ALTER DATABASE " + db.name() + " OWNER TO " + admin,
                "GRANT CREATE ON SCHEMA public TO " + admin);
        asAdminSql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.events (payload text)");
        asAdmin = new Provisioner(db.as(admin, ADMIN_PASSWORD));
    }

    @Test
    void provision_allTablesWithReadOnlyUser_refusesNamingTheReplicationPrivilegeAndChangesNothing() {
        List<String> before = state();

        MissingPrivilegeException error = catchThrowableOfType(MissingPrivilegeException.class,
                () -> asAdmin.provision(allTables(CredentialsMode.READ_ONLY_USER)));

        assertThat(error.getMessage()).contains("REPLICATION", cdcUser, "superuser", "rds_replication",
                "Nothing was changed");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void provision_allTablesWithMasterCredentials_refusesTheForAllTablesPublicationAndChangesNothing() {
        List<String> before = state();

        MissingPrivilegeException error = catchThrowableOfType(MissingPrivilegeException.class,
                () -> asAdmin.provision(allTables(CredentialsMode.MASTER)));

        assertThat(error.getMessage()).contains("publication bemi", "FOR ALL TABLES", "superuser", "rds_superuser",
                "Nothing was changed");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void provision_allTablesWhenPublicationExists_refusesTheEventTriggerAndChangesNothing() {
        db.sql("CREATE PUBLICATION bemi FOR ALL TABLES");
        List<String> before = state();

        MissingPrivilegeException error = catchThrowableOfType(MissingPrivilegeException.class,
                () -> asAdmin.provision(allTables(CredentialsMode.MASTER)));

        assertThat(error.getMessage()).contains("event trigger", "superuser", "rds_superuser", "Nothing was changed");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void provision_whenRefused_explainsInAReadableSentence() {
        MissingPrivilegeException error = catchThrowableOfType(MissingPrivilegeException.class,
                () -> asAdmin.provision(allTables(CredentialsMode.MASTER)));

        assertThat(error.getMessage()).startsWith("cannot create publication bemi")
                .doesNotContain("cannot created", "..");
    }

    @Test
    void provision_selectedTablesWithReadOnlyUser_refusesNamingTheReplicationPrivilegeAndChangesNothing() {
        List<String> before = state();

        MissingPrivilegeException error = catchThrowableOfType(MissingPrivilegeException.class,
                () -> asAdmin.provision(selected(CredentialsMode.READ_ONLY_USER, ORDERS)));

        assertThat(error.getMessage()).contains("REPLICATION", cdcUser, "superuser");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void provision_selectedTablesWithMasterCredentials_onOwnTables_worksEndToEnd() {
        db.sql("ALTER ROLE " + admin + " REPLICATION");

        ProvisioningResult result = asAdmin.provision(selected(CredentialsMode.MASTER, ORDERS));
        List<Change> tracked = asAdmin.track("bemi", List.of(EVENTS), Optional.empty(), FAST);
        VerificationReport report = new Verifier(db.as(admin, ADMIN_PASSWORD))
                .verify(selected(CredentialsMode.MASTER, ORDERS, EVENTS));

        assertThat(result.changes()).extracting(Change::toString)
                .containsExactly("set REPLICA IDENTITY FULL on public.orders", "created publication bemi");
        assertThat(tracked).isNotEmpty();
        assertThat(db.replicaIdentity("public.orders")).isEqualTo("f");
        assertThat(db.replicaIdentity("public.events")).isEqualTo("f");
        assertThat(db.value("SELECT pg_get_userbyid(pubowner) FROM pg_publication WHERE pubname = 'bemi'"))
                .isEqualTo(admin);
        assertThat(report.failures()).isEmpty();
        assertThat(asAdmin.provision(selected(CredentialsMode.MASTER, ORDERS, EVENTS)).changes()).isEmpty();
        assertThat(asAdmin.untrack("bemi", List.of(EVENTS), FAST)).isNotEmpty();
        assertThat(asAdmin.teardown(new Provisioner.TeardownOptions("bemi", List.of("public"), true,
                Optional.empty(), FAST))).isNotEmpty();
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
        assertThat(db.replicaIdentity("public.orders")).isEqualTo("d");
    }

    @Test
    void provision_selectedTables_whenTableOwnedByAnotherRole_refusesNamingTableOwnerAndGrant() {
        String owner = "legacy_owner_" + db.name();
        db.sql("CREATE ROLE " + owner + " NOLOGIN",
                "CREATE TABLE public.legacy (id int, note text)",
                "ALTER TABLE public.legacy OWNER TO " + owner);
        List<String> before = state();

        MissingPrivilegeException error = catchThrowableOfType(MissingPrivilegeException.class,
                () -> asAdmin.provision(selected(CredentialsMode.MASTER, ORDERS, TableName.parse("public.legacy"))));

        assertThat(error.getMessage()).contains("public.legacy", owner,
                "GRANT \"" + owner + "\" TO \"" + admin + "\"", "Nothing was changed");
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void provision_selectedTables_afterGrantingTheOwnerRoleToAdmin_works() {
        String owner = "legacy_owner_" + db.name();
        db.sql("CREATE ROLE " + owner + " NOLOGIN",
                "CREATE TABLE public.legacy (id int, note text)",
                "ALTER TABLE public.legacy OWNER TO " + owner);
        ProvisioningSpec spec = selected(CredentialsMode.MASTER, ORDERS, TableName.parse("public.legacy"));
        catchThrowableOfType(MissingPrivilegeException.class, () -> asAdmin.provision(spec));
        db.sql("GRANT " + owner + " TO " + admin);

        ProvisioningResult result = asAdmin.provision(spec);

        assertThat(result.changes()).isNotEmpty();
        assertThat(db.replicaIdentity("public.legacy")).isEqualTo("f");
        assertThat(db.replicaIdentity("public.orders")).isEqualTo("f");
        assertThat(db.rows("SELECT tablename FROM pg_publication_tables WHERE pubname = 'bemi' ORDER BY 1"))
                .containsExactly("legacy", "orders");
    }

    @Test
    void provision_whenRdsReplicationRoleExists_grantsItInsteadOfTheReplicationAttribute() {
        db.sql("CREATE ROLE rds_replication NOLOGIN");
        try {
            Provisioner asSuperuser = new Provisioner(db.asSuperuser());

            ProvisioningResult result = asSuperuser.provision(allTables(CredentialsMode.READ_ONLY_USER));

            assertThat(result.changes()).extracting(Change::toString).contains("granted rds_replication to " + cdcUser)
                    .doesNotContain("granted the REPLICATION attribute to " + cdcUser);
            assertThat(db.value("""
                    SELECT count(*) FROM pg_auth_members m
                    JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
                    WHERE g.rolname = 'rds_replication' AND r.rolname = '""" + cdcUser + "'")).isEqualTo("1");
            assertThat(db.value("SELECT rolreplication FROM pg_roles WHERE rolname = '" + cdcUser + "'"))
                    .isEqualTo("f");
            assertThat(asSuperuser.provision(allTables(CredentialsMode.READ_ONLY_USER)).changes()).isEmpty();
        } finally {
            db.sql("DROP ROLE rds_replication");
        }
    }

    @Test
    void verify_whenTheAdminMayNotUpdateAPublishedTable_readsItsIdentityFromTheCatalogInsteadOfFailing() {
        String other = "owner_" + db.name();
        db.sql("CREATE ROLE " + other + " NOLOGIN",
                "CREATE TABLE public.keyed (id int PRIMARY KEY, v text)",
                "CREATE TABLE public.keyless (v text)",
                "ALTER TABLE public.keyed OWNER TO " + other,
                "ALTER TABLE public.keyless OWNER TO " + other,
                "ALTER TABLE public.orders REPLICA IDENTITY FULL",
                "ALTER TABLE public.events REPLICA IDENTITY FULL",
                "CREATE PUBLICATION bemi FOR ALL TABLES");

        VerificationReport report = new Verifier(db.as(admin, ADMIN_PASSWORD)).verify(allTables(CredentialsMode.MASTER));

        VerificationReport.Check updatable = report.check(Verifier.UPDATABLE);
        assertThat(updatable.status()).isEqualTo(VerificationReport.Status.FAIL);
        assertThat(updatable.detail()).contains("public.keyless", "read from the catalog")
                .doesNotContain("public.keyed", "permission denied");

        db.sql("ALTER TABLE public.keyless REPLICA IDENTITY FULL");
        VerificationReport.Check after = new Verifier(db.as(admin, ADMIN_PASSWORD))
                .verify(allTables(CredentialsMode.MASTER)).check(Verifier.UPDATABLE);
        assertThat(after.status()).isEqualTo(VerificationReport.Status.WARN);
        assertThat(after.detail()).contains("2 published table(s)", "public.keyed", "public.keyless");
    }

    private ProvisioningSpec allTables(CredentialsMode mode) {
        ProvisioningSpec.Builder builder = ProvisioningSpec.builder().trackingMode(TrackingMode.ALL_TABLES)
                .credentialsMode(mode).lockPolicy(FAST);
        if (mode == CredentialsMode.READ_ONLY_USER) {
            builder.cdcUser(cdcUser).cdcPassword(Secret.of(CDC_PASSWORD));
        }
        return builder.build();
    }

    private ProvisioningSpec selected(CredentialsMode mode, TableName... tables) {
        ProvisioningSpec.Builder builder = ProvisioningSpec.builder().trackingMode(TrackingMode.SELECTED_TABLES)
                .tables(List.of(tables)).credentialsMode(mode).lockPolicy(FAST);
        if (mode == CredentialsMode.READ_ONLY_USER) {
            builder.cdcUser(cdcUser).cdcPassword(Secret.of(CDC_PASSWORD));
        }
        return builder.build();
    }

    private void asAdminSql(String... statements) {
        try (Connection connection = db.connect(admin, ADMIN_PASSWORD);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Everything a refused run must leave as it was: identities, grants, roles, publications, triggers, schemas. */
    private List<String> state() {
        return db.rows("""
                SELECT 'table ' || n.nspname || '.' || c.relname || ' ' || c.relreplident::text || ' '
                       || coalesce(c.relacl::text, '')
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND n.nspname !~ '^pg_'
                UNION ALL
                SELECT 'role ' || rolname || ' ' || rolreplication || ' ' || rolcanlogin FROM pg_roles
                WHERE rolname LIKE '%\\_' || current_database()
                UNION ALL
                SELECT 'membership ' || pg_get_userbyid(roleid) || ' ' || pg_get_userbyid(member)
                FROM pg_auth_members
                UNION ALL
                SELECT 'publication ' || pubname || ' ' || puballtables || ' ' || pubviaroot FROM pg_publication
                UNION ALL
                SELECT 'published ' || prrelid::regclass::text FROM pg_publication_rel
                UNION ALL
                SELECT 'event trigger ' || evtname FROM pg_event_trigger
                UNION ALL
                SELECT 'schema ' || nspname || ' ' || coalesce(nspacl::text, '') FROM pg_namespace
                UNION ALL
                SELECT 'default acl ' || defaclacl::text FROM pg_default_acl
                UNION ALL
                SELECT 'function ' || oid::regprocedure::text FROM pg_proc
                WHERE pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
                ORDER BY 1""");
    }
}
