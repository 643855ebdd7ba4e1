package io.cdcenabler.postgres;

import java.sql.SQLException;

/** A database error the engine did not expect, with what it was doing and PostgreSQL's SQLSTATE. */
public class DatabaseException extends CdcEnablerException {
    private final String sqlState;

    public DatabaseException(String doing, SQLException cause) {
        super(doing + " failed: " + cause.getMessage() + " (SQLSTATE " + cause.getSQLState() + ")", cause);
        this.sqlState = cause.getSQLState();
    }

    public String sqlState() {
        return sqlState;
    }
}
