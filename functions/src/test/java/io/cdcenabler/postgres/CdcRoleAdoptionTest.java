package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** An existing role cdc-enabler did not create is neither demoted nor re-passworded unless adoption is asked for. */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
class CdcRoleAdoptionTest {
    /** Logins other than the superuser authenticate with SCRAM here, and PostgreSQL 13 stores md5 by default. */
    private static final String SCRAM = "SET password_encryption = 'scram-sha-256'";

    @Parameter
    String version;

    TestDatabase db;
    String role;

    @BeforeEach
    void freshDatabase() {
        db = PostgresServers.freshDatabase(version);
        role = "dba_" + db.name();
        db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)");
    }

    @Test
    void existingSuperuser_isRefused_andKeepsItsAttributesAndPassword() {
        db.sql(SCRAM, "CREATE ROLE " + role + " LOGIN SUPERUSER PASSWORD 'dba-password'");

        assertThatThrownBy(() -> provision(spec("new-password")))
                .isInstanceOf(ConflictingStateException.class)
                .hasMessageContaining("did not create").hasMessageContaining("SUPERUSER")
                .hasMessageContaining("--adopt-existing-role").hasMessageContaining("Nothing was changed");

        assertThat(db.value("SELECT rolsuper FROM pg_roles WHERE rolname = '" + role + "'")).isEqualTo("t");
        assertThat(db.canLogIn(role, "dba-password")).isTrue();
        assertThat(db.value("SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    @Test
    void existingRoleWithWritePrivileges_isRefused_evenWithItsOwnPassword() {
        db.sql(SCRAM, "CREATE ROLE writers_" + db.name(), "CREATE ROLE " + role + " LOGIN CREATEDB PASSWORD 'pw'",
                "GRANT writers_" + db.name() + " TO " + role, "GRANT ALL ON public.orders TO " + role);

        assertThatThrownBy(() -> provision(spec("pw")))
                .isInstanceOf(ConflictingStateException.class)
                .hasMessageContaining("CREATEDB").hasMessageContaining("membership in writers_" + db.name())
                .hasMessageContaining("INSERT on orders");

        assertThat(db.value("SELECT rolcreatedb FROM pg_roles WHERE rolname = '" + role + "'")).isEqualTo("t");
    }

    @Test
    void adoptedRoleWithWritePrivileges_isRestricted_butVerifyFailsOnLeastPrivilege() {
        db.sql(SCRAM, "CREATE ROLE writers_" + db.name(), "CREATE ROLE " + role + " LOGIN CREATEDB PASSWORD 'pw'",
                "GRANT writers_" + db.name() + " TO " + role, "GRANT ALL ON public.orders TO " + role);
        ProvisioningSpec adopt = spec("pw").withAdoptExistingRole(true);

        provision(adopt);
        VerificationReport report = new Verifier(db.asSuperuser()).verify(spec("pw"));

        assertThat(db.value("SELECT rolcreatedb FROM pg_roles WHERE rolname = '" + role + "'")).isEqualTo("f");
        assertThat(report.ready()).isFalse();
        assertThat(report.failures().toString()).contains(Verifier.LEAST_PRIVILEGE)
                .contains("membership in writers_" + db.name()).contains("UPDATE on orders");
    }

    @Test
    void plainExistingRole_withItsPassword_isUsed_withoutBeingMarked() {
        db.sql(SCRAM, "CREATE ROLE " + role + " LOGIN PASSWORD 'pw'");

        ProvisioningResult result = provision(spec("pw"));

        assertThat(result.changes()).extracting(Change::action).doesNotContain("set password of", "adopted role");
        assertThat(db.canLogIn(role, "pw")).isTrue();
        assertThat(new Verifier(db.asSuperuser()).verify(spec("pw")).ready()).isTrue();
        assertThat(comment()).isEmpty();
    }

    @Test
    void plainExistingRole_withAnotherPassword_isNotRepassworded_unlessAdopted() {
        db.sql(SCRAM, "CREATE ROLE " + role + " LOGIN PASSWORD 'pw'");

        assertThatThrownBy(() -> provision(spec("other")))
                .isInstanceOf(ConflictingStateException.class).hasMessageContaining("not re-passworded");
        assertThat(db.canLogIn(role, "pw")).isTrue();

        provision(spec("other").withAdoptExistingRole(true));
        ProvisioningResult rerun = provision(spec("other"));

        assertThat(db.canLogIn(role, "other")).isTrue();
        assertThat(comment()).startsWith(CdcRoleAudit.MARK);
        assertThat(rerun.changes()).isEmpty();
    }

    @Test
    void roleWeCreated_isMarked_andANewPasswordIsSetOnRequest() {
        provision(spec("first"));

        ProvisioningResult second = provision(spec("second"));

        assertThat(comment()).startsWith(CdcRoleAudit.MARK);
        assertThat(second.changes()).extracting(Change::action).contains("set password of");
        assertThat(db.canLogIn(role, "second")).isTrue();
    }

    private ProvisioningSpec spec(String password) {
        return ProvisioningSpec.builder().cdcUser(role).cdcPassword(Secret.of(password)).build();
    }

    private ProvisioningResult provision(ProvisioningSpec spec) {
        return new Provisioner(db.asSuperuser()).provision(spec);
    }

    private String comment() {
        return db.value("SELECT coalesce(shobj_description(oid, 'pg_authid'), '') FROM pg_roles WHERE rolname = '"
                + role + "'");
    }
}
