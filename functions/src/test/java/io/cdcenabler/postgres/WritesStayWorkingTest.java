package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.postgres.VerificationReport.Status;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: after provisioning, whatever DDL the application runs (as a plain, non-superuser role), its UPDATE and
 * DELETE keep working, and verify proves it by running them (EXPLAIN, matching no row) rather than inferring it.
 */
class WritesStayWorkingTest extends AppWorldPerVersion {
    @Test
    void newSchemaWithTableWithoutKey_afterAllTablesOfPublic_acceptsUpdateAndStaysOutOfTheStreamOn15Plus() {
        world.app("CREATE TABLE public.orders (id int PRIMARY KEY, v text)");
        world.provision(world.allTables("public"));

        world.app("CREATE SCHEMA audit", "CREATE TABLE audit.log (at text, what text)",
                "INSERT INTO audit.log VALUES ('now', 'x')");

        world.assertAppCanWrite("audit.log", "what");
        boolean schemaPublication = world.major() >= 15;
        assertThat(world.db.value("SELECT puballtables FROM pg_publication WHERE pubname = 'bemi'"))
                .isEqualTo(schemaPublication ? "f" : "t");
        if (schemaPublication) {
            assertThat(world.db.rows("SELECT schemaname || '.' || tablename FROM pg_publication_tables "
                    + "WHERE pubname = 'bemi'")).containsExactly("public.orders");
        } else {
            world.assertIdentity("audit.log", "f");
        }
        assertThat(world.verify(world.allTables("public")).failures()).isEmpty();
    }

    @Test
    void unloggedTableSetLogged_andTableMovedIntoTrackedSchema_acceptUpdate() {
        world.provision(world.allTables("public"));
        world.app("CREATE SCHEMA staging", "CREATE TABLE staging.t (id int, v text)");

        world.app("CREATE UNLOGGED TABLE public.b (v text)", "ALTER TABLE public.b SET LOGGED",
                "ALTER TABLE staging.t SET SCHEMA public");

        world.assertIdentity("public.b", "f");
        world.assertIdentity("public.t", "f");
        world.assertAppCanWrite("public.b", "v");
        world.assertAppCanWrite("public.t", "v");
    }

    @Test
    void droppedPrimaryKey_ofTrackedTable_becomesFullAndAcceptsUpdate() {
        world.app("CREATE TABLE public.orders (id int CONSTRAINT orders_pk PRIMARY KEY, v text)");
        world.provision(world.allTables("public"));
        world.db.sql("SET session_replication_role = replica", "ALTER TABLE public.orders REPLICA IDENTITY DEFAULT");

        world.app("ALTER TABLE public.orders DROP CONSTRAINT orders_pk");

        world.assertIdentity("public.orders", "f");
        world.assertAppCanWrite("public.orders", "v");
    }

    @Test
    void untrackAndTeardownReset_keepIdentityOfTableAnotherPublicationPublishes() {
        world.app("CREATE TABLE public.b (id int, v text)", "INSERT INTO public.b VALUES (1, 'x')");
        world.provision(world.allTables("public"));
        world.provision(world.selected("p2", "public.b"));

        new Provisioner(world.db.asSuperuser()).untrack("p2", List.of(TableName.parse("public.b")), AppWorld.FAST);
        world.assertIdentity("public.b", "f");
        world.assertAppCanWrite("public.b", "v");

        world.provision(world.selected("p2", "public.b"));
        new Provisioner(world.db.asSuperuser()).teardown(new Provisioner.TeardownOptions("p2", List.of("public"),
                true, Optional.empty(), AppWorld.FAST));
        world.assertIdentity("public.b", "f");
        world.assertAppCanWrite("public.b", "v");
    }

    @Test
    void attachPartition_withSiblingOwnedByAnotherRole_succeedsAndLeavesSiblingsAsTheyAre() {
        world.db.sql("CREATE ROLE other_" + world.db.name(),
                "CREATE TABLE public.m (id int NOT NULL, a int NOT NULL) PARTITION BY LIST (a)",
                "ALTER TABLE public.m OWNER TO " + world.appRole);
        world.provision(world.allTables("public"));
        world.db.sql("CREATE TABLE public.m_1 PARTITION OF public.m FOR VALUES IN (1)",
                "ALTER TABLE public.m_1 OWNER TO other_" + world.db.name(),
                "SET session_replication_role = replica", "ALTER TABLE public.m_1 REPLICA IDENTITY DEFAULT");
        world.app("CREATE TABLE public.m_2 PARTITION OF public.m FOR VALUES IN (2)",
                "CREATE UNIQUE INDEX m_2_id ON public.m_2 (id)",
                "ALTER TABLE public.m_2 REPLICA IDENTITY USING INDEX m_2_id",
                "CREATE TABLE public.m_3 (id int NOT NULL, a int NOT NULL)");

        world.app("ALTER TABLE public.m ATTACH PARTITION public.m_3 FOR VALUES IN (3)",
                "ALTER TABLE public.m RENAME TO m_renamed");

        world.assertIdentity("public.m_3", "f");
        world.assertIdentity("public.m_2", "i");
        world.assertIdentity("public.m_1", "d");
        world.assertAppCanWrite("public.m_3", "id");
        world.assertAppCanWrite("public.m_2", "id");
    }

    @Test
    void verify_whenAPublishedTableRejectsUpdate_failsNamingTheTable() {
        world.app("CREATE TABLE public.orders (id int PRIMARY KEY, v text)", "CREATE TABLE public.nokey (v text)");
        world.provision(world.allTables("public"));
        world.db.sql("CREATE PUBLICATION other FOR TABLE public.nokey", "SET session_replication_role = replica",
                "ALTER TABLE public.nokey REPLICA IDENTITY DEFAULT");

        VerificationReport report = world.verify(world.allTables("public"));

        VerificationReport.Check check = report.check(Verifier.UPDATABLE);
        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.detail()).contains("public.nokey").contains("cannot update table \"nokey\"");
        assertThat(report.ready()).isFalse();
    }

    @Test
    void provision_whenAPublishedTableStillRejectsUpdate_failsNamingIt() {
        world.app("CREATE SCHEMA elsewhere", "CREATE TABLE elsewhere.nokey (v text)",
                "CREATE TABLE public.orders (id int PRIMARY KEY, v text)");
        world.db.sql("CREATE PUBLICATION other FOR TABLE elsewhere.nokey");

        assertThatThrownBy(() -> world.provision(world.selected(AppWorld.PUBLICATION, "public.orders")))
                .isInstanceOf(ConflictingStateException.class).hasMessageContaining("elsewhere.nokey")
                .hasMessageContaining("reject the application's UPDATE or DELETE");
    }

    @Test
    void selectedTables_onExistingPublicationNotCreatedByUs_isRefusedAndAddsNothing() {
        world.app("CREATE TABLE public.a (id int PRIMARY KEY)", "CREATE TABLE public.b (id int PRIMARY KEY)");
        world.db.sql("CREATE PUBLICATION theirs FOR TABLE public.a");

        assertThatThrownBy(() -> world.provision(world.selected("theirs", "public.a", "public.b")))
                .isInstanceOf(ConflictingStateException.class).hasMessageContaining("not created by cdc-enabler")
                .hasMessageContaining("public.b");
        assertThat(world.db.rows("SELECT tablename FROM pg_publication_tables WHERE pubname = 'theirs'"))
                .containsExactly("a");
    }

    @Test
    void untrack_ofMissingTable_saysCannotUntrack() {
        world.app("CREATE TABLE public.a (id int PRIMARY KEY)");
        world.provision(world.selected(AppWorld.PUBLICATION, "public.a"));

        assertThatThrownBy(() -> new Provisioner(world.db.asSuperuser()).untrack(AppWorld.PUBLICATION,
                List.of(TableName.parse("public.gone")), AppWorld.FAST))
                .hasMessageStartingWith("cannot untrack: public.gone does not exist");
    }
}
