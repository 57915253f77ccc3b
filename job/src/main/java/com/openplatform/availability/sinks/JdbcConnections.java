package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JdbcOptions;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Connections of the job's own JDBC writers: {@link JdbcOptions#connectionUrl()}, timeouts and all.
 */
public final class JdbcConnections {
    private JdbcConnections() {}

    /** Connects with the dialect's driver directly, so it works from Flink's user class loader. */
    public static Connection open(JdbcOptions jdbc) throws SQLException {
        return open(jdbc, new Properties());
    }

    /**
     * A connection for {@code executeBatch}: on PostgreSQL the driver rewrites a batch of {@code
     * INSERT}s into multi-row ones ({@code reWriteBatchedInserts}; then {@code executeBatch} counts
     * no rows). A {@code reWriteBatchedInserts} in {@code --jdbc.url} wins.
     */
    static Connection openForBatches(JdbcOptions jdbc) throws SQLException {
        Properties properties = new Properties();
        if (jdbc.dialect() == JdbcOptions.Dialect.POSTGRESQL) {
            properties.setProperty("reWriteBatchedInserts", "true");
        }
        return open(jdbc, properties);
    }

    private static Connection open(JdbcOptions jdbc, Properties properties) throws SQLException {
        Driver driver;
        try {
            driver =
                    (Driver)
                            Class.forName(
                                            jdbc.driverClass(),
                                            true,
                                            JdbcConnections.class.getClassLoader())
                                    .getDeclaredConstructor()
                                    .newInstance();
        } catch (ReflectiveOperationException e) {
            throw new SQLException("JDBC driver " + jdbc.driverClass() + " is not available", e);
        }
        if (jdbc.user() != null) {
            properties.setProperty("user", jdbc.user());
        }
        if (jdbc.password() != null) {
            properties.setProperty("password", jdbc.password());
        }
        Connection c = driver.connect(jdbc.connectionUrl(), properties);
        if (c == null) {
            throw new SQLException("The JDBC driver does not accept --jdbc.url");
        }
        return c;
    }

    /** Closes {@code connection} if there is one, ignoring errors: it is being given up. */
    public static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // nothing left to do with a connection that failed to close
            }
        }
    }
}
