package io.cdcenabler.bench;

import io.cdcenabler.runbook.RunbookSql;
import io.cdcenabler.runbook.RunbookSql.OnError;
import io.cdcenabler.runbook.RunbookSql.Section;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * The runbook's replica-identity section split where the benchmark needs it: the statements before the
 * {@code CALL} (the procedure), the {@code CALL} itself (the one-transaction pass that is timed), and the statements
 * after it (the event trigger function and the {@code CREATE TABLE} event trigger). The SQL is the runbook's own,
 * from {@link RunbookSql}.
 */
final class RunbookBaseline {
    private final RunbookSql runbook;
    private final List<String> beforeCall;
    private final String call;
    private final List<String> afterCall;

    private RunbookBaseline(RunbookSql runbook, List<String> beforeCall, String call, List<String> afterCall) {
        this.runbook = runbook;
        this.beforeCall = beforeCall;
        this.call = call;
        this.afterCall = afterCall;
    }

    static RunbookBaseline load() {
        RunbookSql runbook = RunbookSql.load();
        List<String> statements = runbook.statements(Section.REPLICA_IDENTITY);
        List<Integer> calls = IntStream.range(0, statements.size())
                .filter(i -> firstSqlLine(statements.get(i)).toUpperCase(Locale.ROOT).startsWith("CALL "))
                .boxed().toList();
        if (calls.size() != 1) {
            throw new BenchmarkException("the runbook's section " + Section.REPLICA_IDENTITY.fileName() + " in "
                    + RunbookSql.RESOURCE + " must hold exactly one CALL statement, found " + calls.size());
        }
        int at = calls.get(0);
        return new RunbookBaseline(runbook, statements.subList(0, at), statements.get(at),
                statements.subList(at + 1, statements.size()));
    }

    /** Creates the runbook's procedure (not timed). */
    void createProcedure(Connection connection) {
        beforeCall.forEach(sql -> BenchmarkDatabases.execute(connection, "running the runbook's "
                + firstSqlLine(sql), sql));
    }

    /** Runs the runbook's CALL in autocommit mode, as psql does: one transaction for the whole pass. */
    void callPass(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute(call);
        }
    }

    /** Creates the runbook's event trigger function and {@code CREATE TABLE} event trigger. */
    void createTrigger(Connection connection) {
        afterCall.forEach(sql -> BenchmarkDatabases.execute(connection, "running the runbook's "
                + firstSqlLine(sql), sql));
    }

    /** The runbook's {@code CREATE PUBLICATION <name> FOR ALL TABLES}. */
    void createPublication(Connection connection, String publication) {
        RunbookSql.Result result = runbook.createPublication(connection, publication, OnError.STOP);
        if (!result.succeeded()) {
            throw new BenchmarkException("creating publication " + publication + " with the runbook's SQL: "
                    + result.errors().get(0).message());
        }
    }

    String callText() {
        return firstSqlLine(call).replaceAll(";\\s*$", "");
    }

    private static String firstSqlLine(String statement) {
        return statement.lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("--"))
                .findFirst().orElse(statement.strip());
    }
}
