package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two provision runs for the same role and password file at the same moment, ten times in a row on a fresh database:
 * both exit 0, the file holds the one password the role has, and there is one role and one publication.
 */
class ConcurrentProvisionTest {
    private static final int ROUNDS = 10;

    @TempDir
    Path tempDir;

    static Stream<String> oldestAndNewest() {
        List<String> versions = PostgresServers.versions();
        return Stream.of(versions.get(0), versions.get(versions.size() - 1)).distinct();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("oldestAndNewest")
    void twoProvisionRunsAtOnce_bothSucceed_withTheSameWorkingPassword(String version) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                TestDatabase db = PostgresServers.freshDatabase(version);
                db.sql("CREATE TABLE public.orders (id int PRIMARY KEY)", "CREATE TABLE public.lines (note text)");
                String cdcUser = "con_" + db.name();
                Path file = tempDir.resolve("round-" + round + ".password");
                String[] args = {"provision", "--jdbc-url", db.url(), "--user", "postgres", "--cdc-user", cdcUser,
                    "--cdc-password-file", file.toString()};
                CountDownLatch start = new CountDownLatch(1);

                CompletableFuture<CliRunner.Result> first = CompletableFuture.supplyAsync(() -> runAfter(start, args),
                        pool);
                CompletableFuture<CliRunner.Result> second = CompletableFuture.supplyAsync(() -> runAfter(start, args),
                        pool);
                start.countDown();
                CliRunner.Result a = first.get(120, TimeUnit.SECONDS);
                CliRunner.Result b = second.get(120, TimeUnit.SECONDS);

                String context = "round " + round + "\n" + a.err() + "\n" + b.err();
                assertThat(a.exitCode()).as(context).isZero();
                assertThat(b.exitCode()).as(context).isZero();
                assertThat(a.err() + b.err()).as(context).doesNotContainIgnoringCase("duplicate key");
                String password = Files.readString(file).strip();
                try (var login = db.connect(cdcUser, password)) {
                    assertThat(login.isValid(5)).as(context).isTrue();
                }
                assertThat(db.value("SELECT count(*) FROM pg_roles WHERE rolname = '" + cdcUser + "'"))
                        .isEqualTo("1");
                assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("1");
                assertThat(db.replicaIdentity("public.lines")).isEqualTo("f");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static CliRunner.Result runAfter(CountDownLatch start, String[] args) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return CliRunner.run(args);
    }
}
