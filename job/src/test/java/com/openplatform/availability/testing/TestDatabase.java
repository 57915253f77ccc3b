package com.openplatform.availability.testing;

import com.openplatform.availability.config.JdbcOptions;
import java.sql.SQLException;

/**
 * A database server the tests write result tables to; each test gets empty databases of its own.
 */
public interface TestDatabase {
    /**
     * Creates an empty database and returns its JDBC URL, as a user would pass {@code --jdbc.url}.
     */
    String newDatabase() throws SQLException;

    String user();

    String password();

    /** {@link #newDatabase()} with this server's credentials. */
    default JdbcOptions newJdbcOptions() throws SQLException {
        return new JdbcOptions(newDatabase(), user(), password());
    }
}
