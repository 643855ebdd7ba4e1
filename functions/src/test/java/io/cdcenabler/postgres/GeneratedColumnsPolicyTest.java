package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.postgres.VerificationReport.Status;
import io.cdcenabler.postgres.decoding.PgOutputDecoder;
import io.cdcenabler.postgres.decoding.RowChange;
import io.cdcenabler.postgres.decoding.RowChange.Kind;
import io.cdcenabler.postgres.decoding.RowChange.OldImage;
import io.cdcenabler.testing.PostgresServers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL 18: each branch of the replica-identity policy, proven by effect. The application (a non-superuser
 * role) can UPDATE and DELETE after provisioning and after its own DDL; the change stream, read as the CDC user,
 * shows the complete old row wherever FULL is possible, and the key where it is not.
 */
class GeneratedColumnsPolicyTest {
    static final String V18 = PostgresServers.versions().stream().filter(v -> v.startsWith("18")).findFirst()
            .orElseThrow();

    AppWorld world;
    Connection cdc;
    String slot;

    @BeforeEach
    void freshDatabase() {
        world = new AppWorld(V18);
        slot = "policy_" + world.db.name();
    }

    @AfterEach
    void dropSlot() throws SQLException {
        if (cdc != null) {
            cdc.close();
            world.db.sql("SELECT pg_drop_replication_slot('" + slot + "')");
        }
    }

    @Test
    void storedGeneratedColumn_isFullAndPublished_updateWorksAndOldRowIsComplete() {
        ProvisioningResult result = provisionThenUpdateOneAndDeleteTwo(
                "CREATE TABLE public.orders (id int, qty int, total int GENERATED ALWAYS AS (qty * 2) STORED)");

        world.assertIdentity("public.orders", "f");
        assertThat(world.db.value("SELECT pubgencols FROM pg_publication WHERE pubname = 'bemi'")).isEqualTo("s");
        assertThat(result.notes()).noneMatch(note -> note.contains("key only"));
        assertThat(changes()).extracting(RowChange::render).containsExactly(
                "UPDATE public.orders old={id=1, qty=1, total=2} new={id=1, qty=5, total=10}",
                "DELETE public.orders old={id=2, qty=2, total=4}");
        assertThat(world.verify(world.allTables("public")).failures()).isEmpty();
    }

    @Test
    void virtualGeneratedColumnWithPrimaryKey_keepsTheKeyIdentity_andSaysOldRowsCarryTheKeyOnly() {
        ProvisioningResult result = provisionThenUpdateOneAndDeleteTwo(
                "CREATE TABLE public.orders (id int PRIMARY KEY, qty int, total int GENERATED ALWAYS AS (qty * 2))");

        world.assertIdentity("public.orders", "d");
        assertThat(result.notes()).anyMatch(note -> note.contains("key only") && note.contains("public.orders"));
        List<RowChange> changes = changes();
        assertThat(changes).extracting(RowChange::kind).containsExactly(Kind.UPDATE, Kind.DELETE);
        assertThat(changes.get(1).oldImage()).isEqualTo(OldImage.KEY);
        VerificationReport report = world.verify(world.allTables("public"));
        assertThat(report.failures()).isEmpty();
        assertThat(report.check(Verifier.REPLICA_IDENTITY).detail()).contains("key only").contains("public.orders");
    }

    @Test
    void virtualGeneratedColumnWithUniqueNotNullIndex_usesThatIndex() {
        world.app("CREATE TABLE public.items (code text NOT NULL, qty int, twice int GENERATED ALWAYS AS (qty * 2))",
                "CREATE UNIQUE INDEX items_code ON public.items (code)",
                "INSERT INTO public.items (code, qty) VALUES ('a', 1)");
        Plan plan = new Provisioner(world.db.asSuperuser()).plan(world.allTables("public"));
        assertThat(plan.statements()).contains("ALTER TABLE \"public\".\"items\" REPLICA IDENTITY USING INDEX \"items_code\"");

        world.provision(world.allTables("public"));

        world.assertIdentity("public.items", "i");
        world.assertAppCanWrite("public.items", "qty");
    }

    @Test
    void virtualGeneratedColumnWithoutAnyKey_isRefusedBeforeAnyChange_namingTheWaysOut() {
        world.app("CREATE TABLE public.ok (id int PRIMARY KEY)",
                "CREATE TABLE public.bad (qty int, twice int GENERATED ALWAYS AS (qty * 2))");

        assertThatThrownBy(() -> world.provision(world.allTables("public")))
                .isInstanceOf(ConflictingStateException.class).hasMessageContaining("public.bad")
                .hasMessageContaining("primary key").hasMessageContaining("STORED")
                .hasMessageContaining("SELECTED_TABLES");
        assertThat(world.db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
        world.assertIdentity("public.ok", "d");
    }

    @Test
    void eventTrigger_appliesThePolicyToTheApplicationsDdl() {
        world.app("CREATE TABLE public.orders (id int PRIMARY KEY, qty int)");
        world.provision(world.allTables("public"));

        world.app("CREATE TABLE public.stored (id int, qty int, t int GENERATED ALWAYS AS (qty) STORED)",
                "CREATE TABLE public.virt (id int PRIMARY KEY, qty int, t int GENERATED ALWAYS AS (qty))",
                "ALTER TABLE public.orders ADD COLUMN twice int GENERATED ALWAYS AS (qty * 2) VIRTUAL");

        world.assertIdentity("public.stored", "f");
        world.assertIdentity("public.virt", "d");
        world.assertIdentity("public.orders", "d");
        world.assertAppCanWrite("public.stored", "qty");
        world.assertAppCanWrite("public.virt", "qty");
        world.assertAppCanWrite("public.orders", "qty");
        assertThatThrownBy(() -> world.app("CREATE TABLE public.bad (qty int, t int GENERATED ALWAYS AS (qty))"))
                .hasMessageContaining("public.bad").hasMessageContaining("Add a primary key");
        assertThat(world.db.value("SELECT count(*) FROM pg_class WHERE relname = 'bad'")).isEqualTo("0");
    }

    @Test
    void verify_whenFullTableHasVirtualGeneratedColumn_failsNamingTheTable() {
        world.app("CREATE TABLE public.orders (id int PRIMARY KEY, qty int, t int GENERATED ALWAYS AS (qty))");
        world.provision(world.allTables("public"));
        world.db.sql("SET session_replication_role = replica", "ALTER TABLE public.orders REPLICA IDENTITY FULL");

        VerificationReport report = world.verify(world.allTables("public"));

        assertThat(report.check(Verifier.UPDATABLE).status()).isEqualTo(Status.FAIL);
        assertThat(report.check(Verifier.UPDATABLE).detail()).contains("public.orders")
                .contains("cannot update table \"orders\"");
        assertThat(report.check(Verifier.REPLICA_IDENTITY).status()).isEqualTo(Status.FAIL);
    }

    /**
     * The application creates public.orders ({@code createOrders}) with rows 1 and 2; after provisioning, with the
     * slot open, it updates row 1 and deletes row 2.
     */
    private ProvisioningResult provisionThenUpdateOneAndDeleteTwo(String createOrders) {
        world.app(createOrders, "INSERT INTO public.orders (id, qty) VALUES (1, 1), (2, 2)");
        ProvisioningResult result = world.provision(world.allTables("public"));
        openSlot();
        world.app("UPDATE public.orders SET qty = 5 WHERE id = 1", "DELETE FROM public.orders WHERE id = 2");
        return result;
    }

    private void openSlot() {
        cdc = world.db.connect(world.cdcUser, AppWorld.CDC_PASSWORD);
        try (PreparedStatement create = cdc.prepareStatement(
                "SELECT pg_catalog.pg_create_logical_replication_slot(?, 'pgoutput')")) {
            create.setString(1, slot);
            create.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private List<RowChange> changes() {
        return PgOutputDecoder.peekChanges(cdc, slot, AppWorld.PUBLICATION).stream()
                .filter(c -> c.kind() == Kind.UPDATE || c.kind() == Kind.DELETE).toList();
    }
}
