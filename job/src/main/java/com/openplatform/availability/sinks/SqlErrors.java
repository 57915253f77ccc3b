package com.openplatform.availability.sinks;

import java.sql.SQLException;

/** What a failed statement says about the database: is the data at fault, or the connection? */
public final class SqlErrors {
    private SqlErrors() {}

    /**
     * Whether the database refused the data itself (SQLSTATE class 22, data exception, or 23,
     * integrity constraint violation), anywhere in the exception's chain: trying the same rows
     * again cannot help, unlike after a connection error or a timeout.
     */
    public static boolean isDataError(SQLException error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                for (SQLException e = sql; e != null; e = e.getNextException()) {
                    String state = e.getSQLState();
                    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
