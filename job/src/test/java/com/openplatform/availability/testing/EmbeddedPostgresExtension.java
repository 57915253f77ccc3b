package com.openplatform.availability.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server from Maven jars, started once per test class on a free port; every
 * {@link #newDatabase()} is an empty database of its own. Fault tests {@link #stop()} it and {@link
 * #start()} it again on the same data directory and port, like a database server restarted by ops.
 */
public final class EmbeddedPostgresExtension
        implements OutageDatabase, BeforeAllCallback, AfterAllCallback {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Path dataDirectory;
    private int port;
    private volatile EmbeddedPostgres postgres;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dataDirectory = Files.createTempDirectory("embedded-pg");
        postgres =
                EmbeddedPostgres.builder()
                        .setDataDirectory(dataDirectory)
                        .setCleanDataDirectory(false)
                        .start();
        port = postgres.getPort();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        TempDirs.delete(dataDirectory);
    }

    /** Stops the server (a fast shutdown: open connections are cut); its data stays. */
    @Override
    public synchronized void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    /** Starts the server again on the same data directory and port. */
    @Override
    public synchronized void start() throws IOException {
        if (postgres == null) {
            postgres =
                    EmbeddedPostgres.builder()
                            .setDataDirectory(dataDirectory)
                            .setCleanDataDirectory(false)
                            .setPort(port)
                            .start();
        }
    }

    /** Creates an empty database and returns its JDBC URL (user and password: postgres). */
    @Override
    public String newDatabase() throws SQLException {
        String name = "results_" + DATABASES.incrementAndGet();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    @Override
    public String user() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    @Override
    public String toString() {
        return "PostgreSQL";
    }
}
