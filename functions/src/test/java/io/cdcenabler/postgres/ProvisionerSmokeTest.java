package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class ProvisionerSmokeTest {
    @Parameter
    String version;

    TestDatabase db;

    @BeforeEach
    void freshDatabase() {
        db = PostgresServers.freshDatabase(version);
    }

    @Test
    void provision_thenRerun_changesNothing() {
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)",
                "CREATE TABLE public.events (payload text)");
        Provisioner provisioner = new Provisioner(db.asSuperuser());
        ProvisioningSpec spec = ProvisioningSpec.builder().cdcUser("smoke_" + db.name())
                .cdcPassword(Secret.of("s3cret-pw")).build();

        ProvisioningResult first = provisioner.provision(spec);
        ProvisioningResult second = provisioner.provision(spec);

        assertThat(first.changes()).isNotEmpty();
        assertThat(second.changes()).isEmpty();
        assertThat(db.replicaIdentity("public.events")).isEqualTo("f");
        db.sql("CREATE TABLE public.late (x int)");
        assertThat(db.replicaIdentity("public.late")).isEqualTo("f");
        VerificationReport report = new Verifier(db.asSuperuser()).verify(spec);
        assertThat(report.ready()).as(report.failures().toString()).isTrue();
    }
}
