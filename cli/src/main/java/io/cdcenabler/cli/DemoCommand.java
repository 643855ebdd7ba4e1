package io.cdcenabler.cli;

import io.cdcenabler.embedded.EmbeddedPostgresLauncher;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.ProvisioningResult;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.postgres.VerificationReport;
import io.cdcenabler.postgres.Verifier;
import io.cdcenabler.postgres.decoding.PgOutputDecoder;
import io.cdcenabler.postgres.decoding.RowChange;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Shows the whole job on a machine with nothing but Java: an embedded PostgreSQL, a small shop schema, provisioning
 * (ALL_TABLES, READ_ONLY_USER), then, as the CDC user, a logical slot that shows UPDATE and DELETE with old and new
 * rows, including a table created after provisioning by an application role.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded PostgreSQL, provision it, and show decoded changes with old and new rows.")
final class DemoCommand implements Callable<Integer> {
    private static final String DATABASE = "postgres";
    private static final String SLOT = "cdc_enabler_demo";

    @Spec
    CommandSpec command;

    @Override
    public Integer call() throws SQLException {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        err.println("Starting an embedded PostgreSQL (wal_level=logical) ...");
        err.flush();
        try (RunningPostgres server = EmbeddedPostgresLauncher.builder().start()) {
            out.println("PostgreSQL " + server.majorVersion() + " running on port " + server.port() + ".");
            createShop(server);
            out.println("Created tables public.customers (primary key) and public.orders (no primary key).");

            JdbcConnectionSource source = JdbcConnectionSource.of(server.jdbcUrl(DATABASE), server.superuser(), null);
            ProvisioningSpec spec = ProvisioningSpec.builder().build();
            ProvisioningResult result = provision(source, spec, out);
            Secret password = result.generatedPassword().orElseThrow(
                    () -> new CdcEnablerException("the demo expected a new CDC role with a generated password"));

            appCreatesATableLater(server);
            out.println();
            out.println("After provisioning, role shop_app ran CREATE TABLE public.invoices AS ... (no primary key).");

            List<RowChange> changes = changesSeenByTheCdcUser(server, source.openAs(spec.cdcUser(), password),
                    spec.publication());
            out.println();
            out.println("Changes read as " + spec.cdcUser() + " from a pgoutput slot on publication "
                    + spec.publication() + ":");
            changes.forEach(change -> out.println("  " + change.render()));

            return verify(source, spec.withCdcPassword(result.generatedPassword()), out);
        }
    }

    private static void createShop(RunningPostgres server) throws SQLException {
        try (Connection admin = server.connect(DATABASE); Statement sql = admin.createStatement()) {
            sql.execute("""
                    CREATE ROLE shop_app LOGIN;
                    GRANT CREATE ON SCHEMA public TO shop_app;
                    CREATE TABLE public.customers (id int PRIMARY KEY, name text NOT NULL, email text);
                    CREATE TABLE public.orders (id int, customer_id int, status text, total numeric(10,2));
                    INSERT INTO public.customers VALUES (1, 'Ada', 'ada@example.com'), (2, 'Linus', NULL);
                    INSERT INTO public.orders VALUES (1, 1, 'new', 42.00), (2, 2, 'new', 7.50);
                    """);
        }
    }

    private static ProvisioningResult provision(JdbcConnectionSource source, ProvisioningSpec spec, PrintWriter out) {
        ProvisioningResult result = new Provisioner(source).provision(spec);
        out.println();
        out.println("Provisioned (publication " + spec.publication() + " for the tables of schema "
                + String.join(", ", spec.schemas()) + ", role " + spec.cdcUser() + " with a generated password, "
                + "event trigger):");
        result.changes().forEach(change -> out.println("  " + change));
        return result;
    }

    private static void appCreatesATableLater(RunningPostgres server) throws SQLException {
        try (Connection admin = server.connect(DATABASE); Statement sql = admin.createStatement()) {
            sql.execute("SET ROLE shop_app; CREATE TABLE public.invoices AS SELECT id, total FROM "
                    + "(VALUES (10, 99.90)) AS v(id, total); RESET ROLE");
        }
    }

    /** Opens a slot as the CDC user, lets the application update and delete, and decodes what the slot saw. */
    private static List<RowChange> changesSeenByTheCdcUser(RunningPostgres server, Connection cdcConnection,
                                                           String publication) throws SQLException {
        try (Connection cdc = cdcConnection; Statement sql = cdc.createStatement()) {
            sql.execute("SELECT pg_catalog.pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
            try (Connection admin = server.connect(DATABASE); Statement app = admin.createStatement()) {
                app.execute("""
                        UPDATE public.orders SET status = 'paid' WHERE id = 1;
                        DELETE FROM public.orders WHERE id = 2;
                        UPDATE public.customers SET email = 'linus@example.com' WHERE id = 2;
                        SET ROLE shop_app;
                        UPDATE public.invoices SET total = 100.00 WHERE id = 10;
                        DELETE FROM public.invoices WHERE id = 10;
                        """);
            }
            List<RowChange> changes = PgOutputDecoder.peekChanges(cdc, SLOT, publication);
            sql.execute("SELECT pg_catalog.pg_drop_replication_slot('" + SLOT + "')");
            return changes;
        }
    }

    private static int verify(JdbcConnectionSource source, ProvisioningSpec spec, PrintWriter out) {
        VerificationReport report = new Verifier(source).verify(spec);
        out.println();
        out.println("Verify:");
        report.checks().forEach(check -> out.printf("  %-4s %s: %s%n", check.status(), check.name(),
                check.detail()));
        out.println(report.ready() ? "Ready for CDC. Stopping PostgreSQL." : "NOT ready. Stopping PostgreSQL.");
        return report.ready() ? 0 : CdcEnablerCommand.FAILED;
    }
}
