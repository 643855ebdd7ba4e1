package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.testing.PostgresServers;
import io.cdcenabler.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * A fresh database with a plain application role (LOGIN, SCRAM password, no special attributes) that owns its
 * tables, as on RDS, and helpers to act as that role and to provision as the superuser.
 */
final class AppWorld {
    static final String PUBLICATION = "bemi";
    static final String CDC_PASSWORD = "cdc-Pa55word";
    static final String APP_PASSWORD = "app-Pa55word";
    static final LockPolicy FAST = new LockPolicy(Duration.ofSeconds(2), 500, 2, Duration.ofMillis(50));

    final TestDatabase db;
    final String appRole;
    final String cdcUser;

    AppWorld(String version) {
        db = PostgresServers.freshDatabase(version);
        appRole = "app_" + db.name();
        cdcUser = "cdc_" + db.name();
        db.sql("SET password_encryption = 'scram-sha-256'",
                "CREATE ROLE " + appRole + " LOGIN PASSWORD '" + APP_PASSWORD + "'",
                "GRANT USAGE, CREATE ON SCHEMA public TO " + appRole,
                "GRANT CREATE ON DATABASE " + db.name() + " TO " + appRole);
    }

    int major() {
        return db.major();
    }

    /** Runs statements logged in as the application role; throws with the server's message on failure. */
    void app(String... statements) {
        try (Connection app = db.connect(appRole, APP_PASSWORD); Statement statement = app.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The application's UPDATE and DELETE on a table succeed (they touch its rows, whatever they are). */
    void assertAppCanWrite(String table, String column) {
        app("UPDATE " + table + " SET " + column + " = " + column, "DELETE FROM " + table + " WHERE false",
                "DELETE FROM " + table + " WHERE " + column + " IS NULL");
    }

    ProvisioningSpec allTables(String... schemas) {
        return ProvisioningSpec.builder().publication(PUBLICATION).trackingMode(TrackingMode.ALL_TABLES)
                .schemas(List.of(schemas)).cdcUser(cdcUser).cdcPassword(Secret.of(CDC_PASSWORD))
                .lockPolicy(FAST).build();
    }

    ProvisioningSpec selected(String publication, String... tables) {
        return ProvisioningSpec.builder().publication(publication).trackingMode(TrackingMode.SELECTED_TABLES)
                .tables(java.util.Arrays.stream(tables).map(TableName::parse).toList()).cdcUser(cdcUser)
                .cdcPassword(Secret.of(CDC_PASSWORD)).lockPolicy(FAST).build();
    }

    ProvisioningResult provision(ProvisioningSpec spec) {
        return new Provisioner(db.asSuperuser()).provision(spec);
    }

    VerificationReport verify(ProvisioningSpec spec) {
        return new Verifier(db.asSuperuser()).verify(spec);
    }

    String identity(String table) {
        return db.replicaIdentity(table);
    }

    void assertIdentity(String table, String expected) {
        assertThat(identity(table)).as("replica identity of " + table).isEqualTo(expected);
    }
}
