package io.cdcenabler.runbook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The SQL of the manual runbook that cdc-enabler replaces (Bemi's "AWS RDS" setup page), run the way its readers
 * run it with psql, so that tests and the benchmark can show its defects next to what the engine does.
 *
 * <p><b>A baseline, not product code.</b> The role name, password and publication name are pasted into the SQL
 * text unquoted and unescaped, exactly as a reader of the page fills in {@code [username]}, {@code [password]}
 * and {@code [publication]}: never pass untrusted input. The SQL lives in {@code runbook.sql} next to this class,
 * split into sections by marker lines.
 *
 * <p>Statements run one by one in autocommit mode, like {@code psql -f}: with {@link OnError#CONTINUE} (psql
 * without {@code ON_ERROR_STOP}) an error is recorded and the next statement runs anyway; with
 * {@link OnError#STOP} ({@code ON_ERROR_STOP=1}) the first error ends the run.
 */
public final class RunbookSql {

    /** The classpath resource holding the runbook's SQL. */
    public static final String RESOURCE = "/io/cdcenabler/runbook/runbook.sql";

    private static final String SECTION_MARKER = "-- @section ";
    private static final String END_MARKER = "-- @end";

    private final Map<Section, List<String>> statements;

    private RunbookSql(Map<Section, List<String>> statements) {
        this.statements = statements;
    }

    /** A part of the runbook that can be run on its own; the name is the one used in {@code runbook.sql}. */
    public enum Section {
        /** CREATE ROLE ... NOREPLICATION, GRANT rds_replication, SELECT on schema public and default privileges. */
        USER_RDS("user-rds"),
        /** The same user on self-managed PostgreSQL: the REPLICATION attribute instead of rds_replication. */
        USER_SELF_MANAGED("user-self-managed"),
        /** CREATE PUBLICATION [publication] FOR ALL TABLES. */
        PUBLICATION("publication"),
        /** The _bemi_set_replica_identity procedure, a CALL of it, the event trigger function and trigger. */
        REPLICA_IDENTITY("replica-identity"),
        /** The page's "Disconnecting" step: drops the event trigger, its function and the procedure. */
        REMOVE_REPLICA_IDENTITY("remove-replica-identity");

        private final String fileName;

        Section(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }

        static Section fromFileName(String name) {
            return Arrays.stream(values())
                    .filter(section -> section.fileName.equals(name))
                    .findFirst()
                    .orElseThrow(() -> new RunbookSqlException("unknown section '" + name + "' in " + RESOURCE
                            + "; expected one of " + Arrays.stream(values()).map(Section::fileName).toList()));
        }
    }

    /** Where the read-only user is created: RDS has the rds_replication role, plain PostgreSQL does not. */
    public enum Platform { RDS, SELF_MANAGED }

    /** What happens after a failing statement: psql's default (go on) or {@code ON_ERROR_STOP=1} (stop). */
    public enum OnError { CONTINUE, STOP }

    /** Loads and splits {@value #RESOURCE}. */
    public static RunbookSql load() {
        try (InputStream in = RunbookSql.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new RunbookSqlException("classpath resource " + RESOURCE + " is missing");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RunbookSqlException("could not read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    static RunbookSql parse(String text) {
        Map<Section, List<String>> sections = new EnumMap<>(Section.class);
        Section current = null;
        StringBuilder statement = new StringBuilder();
        int lineNumber = 0;
        for (String line : text.split("\\R", -1)) {
            lineNumber++;
            if (line.startsWith(SECTION_MARKER)) {
                requireNoOpenStatement(statement, current, lineNumber);
                current = Section.fromFileName(line.substring(SECTION_MARKER.length()).trim());
                if (sections.containsKey(current)) {
                    throw new RunbookSqlException("section " + current.fileName() + " appears twice in " + RESOURCE
                            + " (line " + lineNumber + ")");
                }
                sections.put(current, new ArrayList<>());
            } else if (line.trim().equals(END_MARKER)) {
                if (current == null || !hasSql(statement)) {
                    throw new RunbookSqlException(END_MARKER + " without a statement before it at line " + lineNumber
                            + " of " + RESOURCE);
                }
                sections.get(current).add(statement.toString().strip());
                statement.setLength(0);
            } else if (current != null && !(line.isBlank() && statement.isEmpty())) {
                statement.append(line).append('\n');
            } else if (current == null && !line.isBlank() && !line.startsWith("--")) {
                throw new RunbookSqlException("SQL before the first " + SECTION_MARKER.trim() + " at line "
                        + lineNumber + " of " + RESOURCE);
            }
        }
        requireNoOpenStatement(statement, current, lineNumber);
        for (Section section : Section.values()) {
            if (!sections.containsKey(section) || sections.get(section).isEmpty()) {
                throw new RunbookSqlException("section " + section.fileName() + " is missing or empty in " + RESOURCE);
            }
        }
        sections.replaceAll((section, list) -> List.copyOf(list));
        return new RunbookSql(sections);
    }

    private static void requireNoOpenStatement(StringBuilder statement, Section current, int lineNumber) {
        if (hasSql(statement)) {
            throw new RunbookSqlException("statement in section " + current.fileName() + " not closed by "
                    + END_MARKER + " before line " + lineNumber + " of " + RESOURCE);
        }
        statement.setLength(0);
    }

    private static boolean hasSql(CharSequence statement) {
        return statement.toString().lines().anyMatch(line -> !line.isBlank() && !line.strip().startsWith("--"));
    }

    /** The statements of a section, with their comments and with the placeholders not yet filled in. */
    public List<String> statements(Section section) {
        return statements.get(Objects.requireNonNull(section, "section"));
    }

    /**
     * Runs the replica-identity part: creates the procedure, CALLs it (every table of schema public that is not
     * FULL becomes FULL, in one transaction), creates the event trigger function and the {@code CREATE TABLE}
     * event trigger.
     */
    public Result installReplicaIdentity(Connection connection, OnError onError) {
        return run(connection, onError, Map.of(), Section.REPLICA_IDENTITY);
    }

    /** Runs the page's removal of the event trigger, its function and the procedure. */
    public Result removeReplicaIdentity(Connection connection, OnError onError) {
        return run(connection, onError, Map.of(), Section.REMOVE_REPLICA_IDENTITY);
    }

    /** Runs the read-only user part with the name and password pasted in as plain text. */
    public Result createReadOnlyUser(Connection connection, ReadOnlyUser user, OnError onError) {
        Objects.requireNonNull(user, "user");
        return run(connection, onError, user.placeholders(), user.section());
    }

    /** Runs {@code CREATE PUBLICATION <publicationName> FOR ALL TABLES} with the name pasted in as plain text. */
    public Result createPublication(Connection connection, String publicationName, OnError onError) {
        return run(connection, onError, placeholders("publication", publicationName), Section.PUBLICATION);
    }

    /** Runs the whole page in its order: user, publication, replica identity; with STOP the first error ends it. */
    public Result runAll(Connection connection, ReadOnlyUser user, String publicationName, OnError onError) {
        Objects.requireNonNull(user, "user");
        Map<String, String> values = new LinkedHashMap<>(user.placeholders());
        values.putAll(placeholders("publication", publicationName));
        return run(connection, onError, values, user.section(), Section.PUBLICATION, Section.REPLICA_IDENTITY);
    }

    private Result run(Connection connection, OnError onError, Map<String, String> values, Section... sections) {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(onError, "onError");
        List<PendingStatement> toRun = new ArrayList<>();
        for (Section section : sections) {
            List<String> texts = statements.get(section);
            for (int i = 0; i < texts.size(); i++) {
                toRun.add(new PendingStatement(section, i, fill(texts.get(i), values)));
            }
        }
        boolean autoCommit = autoCommit(connection);
        List<StatementError> errors = new ArrayList<>();
        int executed = 0;
        try {
            setAutoCommit(connection, true);
            try (Statement statement = connection.createStatement()) {
                for (PendingStatement next : toRun) {
                    executed++;
                    try {
                        statement.execute(next.sql());
                    } catch (SQLException e) {
                        errors.add(new StatementError(next.section(), next.index(), next.sql(), e.getSQLState(),
                                e.getMessage()));
                        if (onError == OnError.STOP) {
                            break;
                        }
                    }
                }
            } catch (SQLException e) {
                throw new RunbookSqlException("could not create a statement: " + e.getMessage(), e);
            }
        } finally {
            setAutoCommit(connection, autoCommit);
        }
        return new Result(onError, executed, toRun.size() - executed, errors);
    }

    private static String fill(String sql, Map<String, String> values) {
        String filled = sql;
        for (Map.Entry<String, String> value : values.entrySet()) {
            filled = filled.replace("[" + value.getKey() + "]", value.getValue());
        }
        return filled;
    }

    private static Map<String, String> placeholders(String... namesAndValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String value = namesAndValues[i + 1];
            if (value == null || value.isEmpty()) {
                throw new RunbookSqlException(namesAndValues[i] + " must not be empty, got: " + value);
            }
            values.put(namesAndValues[i], value);
        }
        return values;
    }

    private static boolean autoCommit(Connection connection) {
        try {
            return connection.getAutoCommit();
        } catch (SQLException e) {
            throw new RunbookSqlException("could not read the connection's autocommit mode: " + e.getMessage(), e);
        }
    }

    private static void setAutoCommit(Connection connection, boolean autoCommit) {
        try {
            connection.setAutoCommit(autoCommit);
        } catch (SQLException e) {
            throw new RunbookSqlException("could not set autocommit to " + autoCommit + ": " + e.getMessage(), e);
        }
    }

    private record PendingStatement(Section section, int index, String sql) {
    }

    /**
     * The page's {@code [username]} and {@code [password]}, and the platform that picks its user section; both are
     * pasted into the SQL as they are (checked only for being non-empty when the section runs).
     */
    public record ReadOnlyUser(Platform platform, String username, String password) {
        public ReadOnlyUser {
            Objects.requireNonNull(platform, "platform");
        }

        Section section() {
            return platform == Platform.RDS ? Section.USER_RDS : Section.USER_SELF_MANAGED;
        }

        Map<String, String> placeholders() {
            return RunbookSql.placeholders("username", username, "password", password);
        }

        @Override
        public String toString() {
            return "ReadOnlyUser[platform=" + platform + ", username=" + username + ", password=<hidden>]";
        }
    }

    /**
     * What a run did: how many statements were sent, how many were skipped after an error with
     * {@link OnError#STOP}, and the errors in order.
     */
    public record Result(OnError onError, int executed, int skipped, List<StatementError> errors) {
        public Result {
            Objects.requireNonNull(onError, "onError");
            errors = List.copyOf(errors);
        }

        public boolean succeeded() {
            return errors.isEmpty();
        }

        /**
         * The exit status {@code psql -f} would report: 0 without ON_ERROR_STOP even after errors (the runbook's
         * failures go unnoticed by scripts), 3 when ON_ERROR_STOP stopped the script.
         */
        public int psqlExitStatus() {
            return onError == OnError.STOP && !errors.isEmpty() ? 3 : 0;
        }
    }

    /** A statement that failed, with PostgreSQL's SQLSTATE and message; {@code index} counts within the section. */
    public record StatementError(Section section, int index, String statement, String sqlState, String message) {
        public StatementError {
            Objects.requireNonNull(section, "section");
            Objects.requireNonNull(statement, "statement");
        }

        /** The first SQL line of the statement, e.g. {@code CREATE EVENT TRIGGER _bemi_set_replica_identity_trigger}. */
        public String firstLine() {
            return statement.lines()
                    .filter(line -> !line.isBlank() && !line.strip().startsWith("--"))
                    .findFirst()
                    .orElse(statement)
                    .strip();
        }
    }

    /** The runbook resource is missing or malformed, a placeholder value is empty, or the connection failed. */
    public static final class RunbookSqlException extends RuntimeException {
        public RunbookSqlException(String message) {
            super(message);
        }

        public RunbookSqlException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
