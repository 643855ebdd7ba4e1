package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.embedded.EmbeddedPostgresLauncher;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import io.cdcenabler.runbook.RunbookSql;
import io.cdcenabler.runbook.RunbookSql.OnError;
import io.cdcenabler.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runbook defect 3: the runbook sets REPLICA IDENTITY FULL on every table in one transaction, one
 * AccessExclusiveLock per table, so past the size of the shared lock table it fails with "out of shared memory" and
 * rolls everything back. A server with a small lock table (about 1,000 to 1,500 locks here) shows it with 3,000
 * tables instead of RDS's 13,000.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class LockMemoryDefectTest {
    private static final int TABLES = 3_000;
    private static final String OUT_OF_SHARED_MEMORY = "53200";

    private static RunningPostgres server;

    @Parameter
    String version;

    @BeforeParameterizedClassInvocation
    static void startServerWithSmallLockTable(String version) {
        server = EmbeddedPostgresLauncher.builder()
                .binariesJar(EmbeddedPostgresLauncher.binariesJarForVersion(version))
                .serverConfig("max_locks_per_transaction", "10")
                .serverConfig("max_connections", "20")
                .start();
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        server.close();
    }

    @Test
    void defect3_lockMemory_runbookRunsOutOfSharedMemory_oursCommitsInBatches() throws SQLException {
        TestDatabase db = databaseWithTables("locks", TABLES);
        ProvisioningSpec spec = ProvisioningSpec.builder().cdcUser("cdc_locks").cdcPassword(Secret.of("Cdc-pw-1"))
                .lockPolicy(new LockPolicy(Duration.ofSeconds(3), 100, 2, Duration.ofMillis(100))).build();

        RunbookSql.Result runbook;
        try (Connection session = db.connect()) {
            runbook = RunbookSql.load().installReplicaIdentity(session, OnError.CONTINUE);
        }
        String fullAfterRunbook = fullTables(db);
        ProvisioningResult ours = new Provisioner(db.asSuperuser()).provision(spec);

        assertThat(runbook.errors()).singleElement().satisfies(error -> {
            assertThat(error.firstLine()).startsWith("CALL _bemi_set_replica_identity");
            assertThat(error.sqlState()).isEqualTo(OUT_OF_SHARED_MEMORY);
            assertThat(error.message()).contains("out of shared memory");
        });
        assertThat(fullAfterRunbook).isEqualTo("0");
        assertThat(ours.changes()).filteredOn(change -> change.action().equals("set REPLICA IDENTITY FULL on"))
                .hasSize(TABLES);
        assertThat(fullTables(db)).isEqualTo(String.valueOf(TABLES));
        assertThat(new Verifier(db.asSuperuser()).verify(spec).failures()).isEmpty();
    }

    private static TestDatabase databaseWithTables(String name, int tables) throws SQLException {
        try (Connection admin = server.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        TestDatabase db = new TestDatabase(server, name);
        db.sql("""
                DO $$
                BEGIN
                  FOR i IN 1..%d LOOP
                    EXECUTE 'CREATE TABLE public.t' || i || ' (id int)';
                    IF mod(i, 100) = 0 THEN
                      COMMIT;
                    END IF;
                  END LOOP;
                END
                $$""".formatted(tables));
        return db;
    }

    private static String fullTables(TestDatabase db) {
        return db.value("SELECT count(*) FROM pg_catalog.pg_class c"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relreplident = 'f'");
    }
}
