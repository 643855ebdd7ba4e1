package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The replica identity pass on a live database: it waits at most the lock timeout behind other sessions, commits in
 * batches, names exactly the tables it could not change, and a later run finishes the job.
 */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class ReplicaIdentityPassTest {
    private static final String FULL_PHASE = "REPLICA IDENTITY FULL";
    private static final LockPolicy QUICK_GIVE_UP = new LockPolicy(Duration.ofMillis(100), 500, 2,
            Duration.ofMillis(10));
    private static final List<String> TABLES = List.of("public.t1", "public.t2", "public.t3", "public.t4",
            "public.t5");

    @Parameter
    String version;

    TestDatabase db;
    Connection lockHolder;

    @BeforeEach
    void fiveTables() {
        db = PostgresServers.freshDatabase(version);
        TABLES.forEach(table -> db.sql("CREATE TABLE " + table + " (id int, payload text)"));
    }

    @AfterEach
    void releaseLock() throws SQLException {
        if (lockHolder != null) {
            lockHolder.close();
        }
    }

    @Test
    void provision_whenOneTableStaysLocked_throwsNamingExactlyThatTableAndDoesTheOthers() {
        holdReadLockOn("public.t3");

        LockTimeoutException error = catchThrowableOfType(LockTimeoutException.class,
                () -> new Provisioner(db.asSuperuser()).provision(masterSpec(QUICK_GIVE_UP)));

        assertThat(error.tables()).containsExactly("public.t3");
        assertThat(error.getMessage()).contains("public.t3");
        assertThat(identities()).containsExactly("t1=f", "t2=f", "t3=d", "t4=f", "t5=f");
        assertThat(db.value("SELECT count(*) FROM pg_publication")).as("nothing published before it is FULL")
                .isEqualTo("0");
    }

    @Test
    void pass_whenTheOnlyTableStaysLocked_saysNothingElseWasChanged() throws SQLException {
        holdReadLockOn("public.t3");

        LockTimeoutException error;
        try (Connection connection = db.connect()) {
            error = catchThrowableOfType(LockTimeoutException.class, () -> new ReplicaIdentityPass(QUICK_GIVE_UP,
                    ProgressListener.NONE).run(connection, List.of(TableName.parse("public.t3")),
                    ReplicaIdentity.FULL));
        }

        assertThat(error.getMessage()).contains("public.t3").contains("No other table was changed")
                .doesNotContain("Everything else was done");
    }

    @Test
    void provision_afterLockIsReleased_changesOnlyTheTableThatWasLocked() {
        holdReadLockOn("public.t3");
        Provisioner provisioner = new Provisioner(db.asSuperuser());
        catchThrowableOfType(LockTimeoutException.class, () -> provisioner.provision(masterSpec(QUICK_GIVE_UP)));
        releaseLockNow();

        ProvisioningResult rerun = provisioner.provision(masterSpec(QUICK_GIVE_UP));

        assertThat(rerun.changes()).filteredOn(change -> change.action().startsWith("set REPLICA IDENTITY"))
                .extracting(Change::toString).containsExactly("set REPLICA IDENTITY FULL on public.t3");
        assertThat(identities()).containsOnly("t1=f", "t2=f", "t3=f", "t4=f", "t5=f");
        assertThat(new Verifier(db.asSuperuser()).verify(masterSpec(QUICK_GIVE_UP)).failures()).isEmpty();
    }

    @Test
    void teardown_whenOneTableStaysLocked_rerunAfterReleaseMakesExactlyOneChange() {
        Provisioner provisioner = new Provisioner(db.asSuperuser());
        provisioner.provision(masterSpec(QUICK_GIVE_UP));
        holdReadLockOn("public.t3");
        Provisioner.TeardownOptions reset = new Provisioner.TeardownOptions("bemi", List.of("public"), true,
                Optional.empty(), QUICK_GIVE_UP);
        LockTimeoutException error = catchThrowableOfType(LockTimeoutException.class,
                () -> provisioner.teardown(reset));
        assertThat(error.tables()).containsExactly("public.t3");
        assertThat(identities()).containsExactly("t1=d", "t2=d", "t3=f", "t4=d", "t5=d");
        releaseLockNow();

        List<Change> rerun = provisioner.teardown(reset);

        assertThat(rerun).extracting(Change::toString).containsExactly("set REPLICA IDENTITY DEFAULT on public.t3");
        assertThat(identities()).containsOnly("t1=d", "t2=d", "t3=d", "t4=d", "t5=d");
    }

    @Test
    void untrack_whenOneTableStaysLocked_rerunAfterReleaseMakesExactlyOneChange() {
        Provisioner provisioner = new Provisioner(db.asSuperuser());
        List<TableName> all = TABLES.stream().map(TableName::parse).toList();
        provisioner.provision(ProvisioningSpec.builder().trackingMode(TrackingMode.SELECTED_TABLES).tables(all)
                .credentialsMode(CredentialsMode.MASTER).lockPolicy(QUICK_GIVE_UP).build());
        holdReadLockOn("public.t3");
        LockTimeoutException error = catchThrowableOfType(LockTimeoutException.class,
                () -> provisioner.untrack("bemi", all, QUICK_GIVE_UP));
        assertThat(error.tables()).containsExactly("public.t3");
        releaseLockNow();

        List<Change> rerun = provisioner.untrack("bemi", all, QUICK_GIVE_UP);

        assertThat(rerun).extracting(Change::toString).containsExactly("set REPLICA IDENTITY DEFAULT on public.t3");
        assertThat(identities()).containsOnly("t1=d", "t2=d", "t3=d", "t4=d", "t5=d");
    }

    @Test
    void provision_whenRerunWithNothingToDo_changesNothing() {
        Provisioner provisioner = new Provisioner(db.asSuperuser());
        ProvisioningSpec spec = ProvisioningSpec.builder().cdcUser("cdc_" + db.name())
                .cdcPassword(Secret.of("cdc-Pa55word")).lockPolicy(QUICK_GIVE_UP).build();
        provisioner.provision(spec);

        ProvisioningResult rerun = provisioner.provision(spec);

        assertThat(rerun.changes()).isEmpty();
        assertThat(provisioner.plan(spec).isEmpty()).isTrue();
    }

    @Test
    void provision_withBatchSizeTwo_commitsEachBatchBeforeTheNext() {
        List<String> seen = new ArrayList<>();
        ProgressListener observer = (phase, done, total) -> {
            if (phase.equals(FULL_PHASE)) {
                seen.add(done + "/" + total + " committed=" + db.value(
                        "SELECT count(*) FROM pg_class WHERE relname ~ '^t[0-9]$' AND relreplident = 'f'"));
            }
        };

        new Provisioner(db.asSuperuser(), observer).provision(masterSpec(QUICK_GIVE_UP.withBatchSize(2)));

        assertThat(seen).containsExactly("2/5 committed=2", "4/5 committed=4", "5/5 committed=5");
        assertThat(identities()).containsOnly("t1=f", "t2=f", "t3=f", "t4=f", "t5=f");
    }

    @Test
    void provision_whenTableDroppedAfterPlanning_skipsIt() {
        Provisioner provisioner = new Provisioner(db.asSuperuser(), dropTableAfterFirstBatch("public.t3"));

        ProvisioningResult result = provisioner.provision(masterSpec(QUICK_GIVE_UP.withBatchSize(1)));

        assertThat(result.changes()).extracting(Change::toString).contains("set REPLICA IDENTITY FULL on public.t1",
                "set REPLICA IDENTITY FULL on public.t5").doesNotContain("set REPLICA IDENTITY FULL on public.t3");
        assertThat(identities()).containsExactly("t1=f", "t2=f", "t4=f", "t5=f");
    }

    @Test
    void provision_withReadOnlyUser_whenTableDroppedAfterPlanning_skipsIt() {
        Provisioner provisioner = new Provisioner(db.asSuperuser(), dropTableAfterFirstBatch("public.t3"));
        ProvisioningSpec spec = ProvisioningSpec.builder().cdcUser("cdc_" + db.name())
                .cdcPassword(Secret.of("cdc-Pa55word")).lockPolicy(QUICK_GIVE_UP.withBatchSize(1)).build();

        ProvisioningResult result = provisioner.provision(spec);

        assertThat(result.changes()).extracting(Change::toString)
                .doesNotContain("set REPLICA IDENTITY FULL on public.t3");
        assertThat(identities()).containsExactly("t1=f", "t2=f", "t4=f", "t5=f");
        assertThat(new Verifier(db.asSuperuser()).verify(spec).failures()).isEmpty();
    }

    private ProgressListener dropTableAfterFirstBatch(String table) {
        boolean[] dropped = {false};
        return (phase, done, total) -> {
            if (phase.equals(FULL_PHASE) && !dropped[0]) {
                dropped[0] = true;
                db.sql("DROP TABLE " + table);
            }
        };
    }

    private static ProvisioningSpec masterSpec(LockPolicy policy) {
        return ProvisioningSpec.builder().trackingMode(TrackingMode.ALL_TABLES)
                .credentialsMode(CredentialsMode.MASTER).lockPolicy(policy).build();
    }

    /** A second session in an open transaction that has read the table, as a long-running report would. */
    private void holdReadLockOn(String table) {
        try {
            lockHolder = db.connect();
            lockHolder.setAutoCommit(false);
            try (Statement statement = lockHolder.createStatement()) {
                statement.execute("SELECT count(*) FROM " + table);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void releaseLockNow() {
        try {
            lockHolder.close();
            lockHolder = null;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private List<String> identities() {
        return db.rows("SELECT relname || '=' || relreplident::text FROM pg_class "
                + "WHERE relname ~ '^t[0-9]$' AND relkind = 'r' ORDER BY 1");
    }
}
