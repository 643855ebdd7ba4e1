package io.cdcenabler.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Small JDBC helpers: bound parameters, one row mapper, and errors that say what was being done. */
final class Sql {
    static final String LOCK_NOT_AVAILABLE = "55P03";
    static final String DEADLOCK_DETECTED = "40P01";
    static final String UNDEFINED_TABLE = "42P01";
    static final String INSUFFICIENT_PRIVILEGE = "42501";
    static final String INVALID_PASSWORD = "28P01";

    private Sql() {
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** The statements of one piece of work on a connection; {@code doing} names it in any error. */
    static On on(Connection connection, String doing) {
        return new On(connection, doing);
    }

    /** A connection and what is being done on it, so that an error says what failed. */
    record On(Connection connection, String doing) {

        <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(connection, statement, params);
                try (ResultSet rows = statement.executeQuery()) {
                    List<T> result = new ArrayList<>();
                    while (rows.next()) {
                        result.add(mapper.map(rows));
                    }
                    return result;
                }
            } catch (SQLException e) {
                throw new DatabaseException(doing, e);
            }
        }

        /** The first row, or null when there is none. */
        <T> T queryOne(String sql, RowMapper<T> mapper, Object... params) {
            List<T> rows = query(sql, mapper, params);
            return rows.isEmpty() ? null : rows.get(0);
        }

        /** The first column of the first row as text, or null. */
        String text(String sql, Object... params) {
            return queryOne(sql, row -> row.getString(1), params);
        }
    }

    static void bind(Connection connection, PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object param = params[i];
            if (param instanceof String[] strings) {
                Array array = connection.createArrayOf("text", strings);
                statement.setArray(i + 1, array);
            } else if (param instanceof Long[] longs) {
                statement.setArray(i + 1, connection.createArrayOf("int8", longs));
            } else {
                statement.setObject(i + 1, param);
            }
        }
    }

    /** PostgreSQL's internal error when a relation it enumerated was dropped concurrently (e.g. IN SCHEMA). */
    static boolean isConcurrentDropRace(SQLException e) {
        return "XX000".equals(e.getSQLState()) && e.getMessage() != null
                && e.getMessage().contains("cache lookup failed for relation");
    }

    static boolean isLockConflict(SQLException e) {
        return LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || DEADLOCK_DETECTED.equals(e.getSQLState());
    }

    static void rollbackQuietly(Connection connection) {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the original failure is what matters; a broken connection is reported by the next statement
        }
    }
}
