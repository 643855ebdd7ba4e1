package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.postgres.VerificationReport.Status;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8, failures 5 and 7: the application keeps running DDL while provision runs. Tables it creates meanwhile
 * accept UPDATE from their first statement on (the trigger exists before the publication); tables it drops meanwhile
 * are skipped, and provision still ends in one run. Bounded: at most {@value #PER_WORKER} tables per worker, and the
 * workers stop when provision returns.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConcurrentDdlDuringProvisionTest extends AppWorldPerVersion {
    static final int EXISTING = 300;
    static final int WORKERS = 3;
    static final int PER_WORKER = 400;

    ExecutorService executor;
    final AtomicBoolean stop = new AtomicBoolean();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void manyTables() {
        StringBuilder ddl = new StringBuilder();
        for (int i = 0; i < EXISTING; i++) {
            ddl.append("CREATE TABLE public.existing_").append(i).append(" (id int, v text);");
        }
        world.app(ddl.toString());
        executor = Executors.newFixedThreadPool(WORKERS);
    }

    @AfterEach
    void stopWorkers() throws InterruptedException {
        stop.set(true);
        executor.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
    }

    @Test
    void tablesCreatedWhileProvisionRuns_acceptUpdateFromTheirFirstStatement() throws Exception {
        List<Future<Integer>> workers = start(worker -> (statement, n) -> {
            String table = "public.new_" + worker + "_" + n;
            statement.execute("CREATE TABLE " + table + " (id int, v text)");
            statement.execute("INSERT INTO " + table + " VALUES (1, 'x')");
            statement.execute("UPDATE " + table + " SET v = 'y'");
        });

        world.provision(world.allTables("public"));
        int created = stopAndCount(workers);

        assertThat(failures).as("application statements that failed").isEmpty();
        assertThat(created).isPositive();
        VerificationReport report = world.verify(world.allTables("public"));
        assertThat(report.check(Verifier.UPDATABLE).status()).as(report.check(Verifier.UPDATABLE).detail())
                .isEqualTo(Status.PASS);
    }

    @Test
    void tablesDroppedWhileProvisionRuns_areSkipped_andProvisionEndsInOneRun() throws Exception {
        List<Future<Integer>> workers = start(worker -> (statement, n) -> {
            statement.execute("CREATE TABLE public.churn_" + worker + "_" + n + " (id int, v text)");
            if (n > 0) {
                statement.execute("DROP TABLE public.churn_" + worker + "_" + (n - 1));
            }
        });

        world.provision(world.allTables("public"));
        stopAndCount(workers);

        assertThat(failures).as("application statements that failed").isEmpty();
        assertThat(world.verify(world.allTables("public")).failures()).isEmpty();
    }

    @FunctionalInterface
    interface Work {
        void run(Statement statement, int n) throws SQLException;
    }

    private List<Future<Integer>> start(java.util.function.IntFunction<Work> work) throws InterruptedException {
        List<Future<Integer>> workers = new ArrayList<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(WORKERS);
        for (int w = 0; w < WORKERS; w++) {
            Work job = work.apply(w);
            workers.add(executor.submit(() -> {
                int n = 0;
                try (Connection app = world.db.connect(world.appRole, AppWorld.APP_PASSWORD);
                     Statement statement = app.createStatement()) {
                    started.countDown();
                    for (; n < PER_WORKER && !stop.get(); n++) {
                        try {
                            job.run(statement, n);
                        } catch (SQLException e) {
                            failures.add(e.getMessage());
                        }
                    }
                }
                return n;
            }));
        }
        started.await(30, TimeUnit.SECONDS);
        return workers;
    }

    private int stopAndCount(List<Future<Integer>> workers) throws Exception {
        stop.set(true);
        int total = 0;
        for (Future<Integer> worker : workers) {
            total += worker.get(60, TimeUnit.SECONDS);
        }
        return total;
    }
}
