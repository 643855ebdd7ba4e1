package io.cdcenabler.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.cdcenabler.testing.PostgresServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CDC secret holds the password before the role gets it, and two Provision runs at once (an RDS event delivered
 * twice, a person starting a run during an event's) converge on one secret whose password is the role's, with
 * Secrets Manager's read-after-write lag modelled by the fake.
 */
class ProvisionHandlerConcurrencyTest {
    private static final int ROUNDS = 10;

    static Stream<String> oldestAndNewest() {
        List<String> versions = PostgresServers.versions();
        return Stream.of(versions.get(0), versions.get(versions.size() - 1)).distinct();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("oldestAndNewest")
    void provision_whenTheCdcSecretCannotBeWritten_changesNothingInTheDatabase(String version) {
        ProvisionHandlerTest.Fixture fixture = fixture(version);
        ObjectNode state = fixture.readCredentials(fixture.state("state-after-check-status.json"));
        fixture.secretsManager.denyWritesTo(fixture.cdcSecretName());

        assertThatThrownBy(() -> fixture.run(fixture.provisionHandler(), state))
                .hasMessageContaining(fixture.cdcSecretName());

        fixture.assertDatabaseUntouched();
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @MethodSource("oldestAndNewest")
    void twoRunsAtOnce_convergeOnOneSecretWhosePasswordIsTheRoles(String version) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                ProvisionHandlerTest.Fixture fixture = fixture(version);
                ObjectNode state = fixture.readCredentials(fixture.state("state-after-check-status.json"));
                fixture.secretsManager.readLagAfterWrites(2);
                CountDownLatch start = new CountDownLatch(1);

                CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(
                        () -> runAfter(start, fixture, state), pool);
                CompletableFuture<JsonNode> second = CompletableFuture.supplyAsync(
                        () -> runAfter(start, fixture, state), pool);
                start.countDown();
                JsonNode a = first.get(120, TimeUnit.SECONDS);
                JsonNode b = second.get(120, TimeUnit.SECONDS);

                String secretName = fixture.cdcSecretName();
                assertThat(a.get("cdcSecretArn")).as("round " + round).isEqualTo(b.get("cdcSecretArn"));
                assertThat(fixture.secretsManager.secretNames().stream().filter(n -> n.startsWith("cdc-enabler/")))
                        .as("round " + round).containsExactly(secretName);
                fixture.secretsManager.readLagAfterWrites(0);
                String password = Json.MAPPER.readTree(fixture.secretsManager.currentSecretString(secretName))
                        .get("password").asText();
                try (Connection asCdcUser = fixture.db.connect(fixture.cdcUser, password)) {
                    assertThat(asCdcUser.isValid(5)).as("round " + round).isTrue();
                }
                assertThat(fixture.db.value("SELECT count(*) FROM pg_publication")).isEqualTo("1");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static ProvisionHandlerTest.Fixture fixture(String version) {
        ProvisionHandlerTest.Fixture fixture = new ProvisionHandlerTest.Fixture(version);
        fixture.db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.events (payload text)");
        return fixture;
    }

    private static JsonNode runAfter(CountDownLatch start, ProvisionHandlerTest.Fixture fixture, ObjectNode state) {
        try {
            start.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return fixture.run(fixture.provisionHandler(), state);
    }
}
