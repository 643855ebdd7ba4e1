package io.cdcenabler.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.testing.FakeDynamoDb;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.ThrottledException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DynamoDbEnrolmentRegistryTest {
    private static final String TABLE = "cdc-enabler-registry";
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final FakeDynamoDb dynamoDb = new FakeDynamoDb(TABLE);
    private final DynamoDbEnrolmentRegistry registry = new DynamoDbEnrolmentRegistry(dynamoDb, TABLE);

    static Enrolment enrolment(String identifier, String database, String engineVersion, Instant at) {
        ProvisioningRequest request = ProvisioningRequest.builder().instanceIdentifier(identifier)
                .database(database).build();
        return new Enrolment(request, Enrolment.TargetKind.INSTANCE, identifier, database, null, "cdc-pg",
                engineVersion, at, at, EnrolmentResult.READY, null, List.of(), 0);
    }

    @Test
    void insert_thenFindReadsBackEveryField() {
        Enrolment stored = registry.recordEnrolment(enrolment("orders-db", "app", "17.2", T0));

        assertThat(stored.version()).isEqualTo(1);
        Enrolment found = registry.find(stored.key()).orElseThrow();
        assertThat(found).isEqualTo(stored);
        assertThat(found.request().database()).isEqualTo("app");
        assertThat(found.enrolledAt()).isEqualTo(T0);
    }

    @Test
    void reRecord_keepsEnrolledAtAndReplacesTheRest() {
        registry.recordEnrolment(enrolment("orders-db", "app", "17.2", T0));
        Enrolment again = registry.recordEnrolment(enrolment("orders-db", "app", "17.4", T0.plusSeconds(3600)));

        assertThat(again.enrolledAt()).isEqualTo(T0);
        assertThat(again.engineVersion()).isEqualTo("17.4");
        assertThat(again.version()).isEqualTo(2);
        assertThat(registry.find(again.key()).orElseThrow()).isEqualTo(again);
        assertThat(dynamoDb.size()).isEqualTo(1);
    }

    @Test
    void recordResult_readySetsLastVerified_failedKeepsIt() {
        Enrolment stored = registry.recordEnrolment(enrolment("orders-db", "app", "17.2", T0));
        Instant later = T0.plusSeconds(600);

        Enrolment ready = registry.recordResult(stored.key(),
                new EnrolmentRegistry.Finding(EnrolmentResult.READY, List.of(), null, later)).orElseThrow();
        assertThat(ready.lastVerified()).isEqualTo(later);

        Enrolment failed = registry.recordResult(stored.key(), new EnrolmentRegistry.Finding(EnrolmentResult.FAILED,
                List.of("rds.logical_replication"), "TimeoutException: x", later.plusSeconds(60))).orElseThrow();
        assertThat(failed.lastVerified()).isEqualTo(later);
        assertThat(failed.lastResult()).isEqualTo(EnrolmentResult.FAILED);
        assertThat(failed.lastError()).isEqualTo("TimeoutException: x");
        assertThat(registry.find(stored.key()).orElseThrow().drift()).containsExactly("rds.logical_replication");
    }

    @Test
    void twoWritersRacingOnOneVersion_bothLandWithoutALostUpdate() {
        Enrolment stored = registry.recordEnrolment(enrolment("orders-db", "app", "17.2", T0));
        dynamoDb.beforeNextPut(() -> registry.recordEnrolment(enrolment("orders-db", "app", "17.4", T0)));

        registry.recordResult(stored.key(), new EnrolmentRegistry.Finding(EnrolmentResult.FAILED, List.of(),
                "boom", T0.plusSeconds(60)));

        Enrolment now = registry.find(stored.key()).orElseThrow();
        assertThat(now.engineVersion()).isEqualTo("17.4");
        assertThat(now.lastResult()).isEqualTo(EnrolmentResult.FAILED);
        assertThat(now.version()).isEqualTo(3);
    }

    @Test
    void aWriterThatKeepsLosing_givesUpWithANamedError() {
        Enrolment stored = registry.recordEnrolment(enrolment("orders-db", "app", "17.2", T0));
        Runnable[] competitor = new Runnable[1];
        competitor[0] = () -> {
            registry.recordResult(stored.key(), new EnrolmentRegistry.Finding(EnrolmentResult.READY, List.of(),
                    null, T0));
            dynamoDb.beforeNextPut(competitor[0]);
        };
        dynamoDb.beforeNextPut(competitor[0]);

        assertThatThrownBy(() -> new DynamoDbEnrolmentRegistry(dynamoDb, TABLE).recordEnrolment(
                enrolment("orders-db", "app", "17.4", T0))).isInstanceOf(RegistryConflictException.class).hasMessageContaining("orders-db/app");
    }

    @Test
    void list_pagesAcrossMoreThanOneMegabyte_andSorts() {
        String padding = "x".repeat(300 * 1024);
        for (int i = 9; i >= 0; i--) {
            Enrolment e = enrolment("db-" + i, "app", "17.2", T0);
            registry.recordEnrolment(new Enrolment(e.request(), e.kind(), e.identifier(), e.database(), null, padding,
                    "17.2", T0, T0, EnrolmentResult.READY, null, List.of(), 0));
        }

        List<Enrolment> all = registry.list();

        assertThat(all).extracting(Enrolment::identifier)
                .containsExactly("db-0", "db-1", "db-2", "db-3", "db-4", "db-5", "db-6", "db-7", "db-8", "db-9");
    }

    @Test
    void listFor_returnsTheTargetsDatabasesInOrder() {
        registry.recordEnrolment(enrolment("orders-db", "zeta", "17.2", T0));
        registry.recordEnrolment(enrolment("orders-db", "app", "17.2", T0));
        registry.recordEnrolment(enrolment("other-db", "app", "17.2", T0));

        assertThat(registry.listFor("orders-db")).extracting(Enrolment::database).containsExactly("app", "zeta");
    }

    @Test
    void throttling_isAThrottledException() {
        dynamoDb.throttleNextCalls(1);

        assertThatThrownBy(() -> registry.find(new Enrolment.Key("orders-db", "app")))
                .isInstanceOf(ThrottledException.class).hasMessageContaining("ProvisionedThroughputExceeded");
    }

    @Test
    void unknownKey_isEmptyAndWritesNothing() {
        Enrolment.Key key = new Enrolment.Key("nope", "app");

        assertThat(registry.find(key)).isEmpty();
        assertThat(registry.recordResult(key, new EnrolmentRegistry.Finding(EnrolmentResult.READY, List.of(), null,
                T0))).isEmpty();
        assertThat(dynamoDb.size()).isZero();
        assertThat(registry.remove(key)).isFalse();
    }
}
