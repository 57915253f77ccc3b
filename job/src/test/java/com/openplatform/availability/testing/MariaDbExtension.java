package com.openplatform.availability.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real MariaDB server on 127.0.0.1:3306. Before the first test of a JVM it runs {@code
 * scripts/ensure-mariadb}, which installs, starts and waits for the server and creates the tests'
 * account ({@code availability_test}, empty password, rights on databases {@code results_*} only).
 * Every {@link #newDatabase()} is an empty database {@code results_<n>} of its own, dropped after
 * the test.
 *
 * <p>Another server can be used by setting {@code MARIADB_TEST_HOST} (and {@code
 * MARIADB_TEST_PORT}, {@code MARIADB_TEST_USER}, {@code MARIADB_TEST_PASSWORD}); the script is then
 * not run.
 */
public final class MariaDbExtension
        implements TestDatabase, BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private static final String SCRIPT = "scripts/ensure-mariadb";
    private static final long SCRIPT_TIMEOUT_MINUTES = 15;
    private static final int ER_DB_CREATE_EXISTS = 1007;

    private static final String HOST = setting("MARIADB_TEST_HOST", null);
    private static final String PORT = setting("MARIADB_TEST_PORT", "3306");
    private static final String USER = setting("MARIADB_TEST_USER", "availability_test");
    private static final String PASSWORD = setting("MARIADB_TEST_PASSWORD", "");

    /** Numbers of results_<n>: unique in this JVM; other JVMs' databases are skipped. */
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static boolean ensured;

    private final List<String> created = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ensureServer();
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        dropCreated();
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        dropCreated();
    }

    /** Creates an empty database {@code results_<n>} and returns its {@code jdbc:mariadb:} URL. */
    @Override
    public String newDatabase() throws SQLException {
        ensureServer();
        try (Connection connection = DriverManager.getConnection(serverUrl(), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            while (true) {
                String name = "results_" + DATABASES.incrementAndGet();
                try {
                    statement.execute("CREATE DATABASE " + name);
                } catch (SQLException e) {
                    if (e.getErrorCode() == ER_DB_CREATE_EXISTS) {
                        continue;
                    }
                    throw e;
                }
                synchronized (created) {
                    created.add(name);
                }
                return "jdbc:mariadb://" + host() + ":" + PORT + "/" + name;
            }
        }
    }

    /** This server, with {@code jdbc:mysql:} URLs as a MySQL user would write them. */
    public TestDatabase viaMysqlScheme() {
        MariaDbExtension server = this;
        return new TestDatabase() {
            @Override
            public String newDatabase() throws SQLException {
                return server.newDatabase().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:");
            }

            @Override
            public String user() {
                return server.user();
            }

            @Override
            public String password() {
                return server.password();
            }

            @Override
            public String toString() {
                return "MariaDB via jdbc:mysql:";
            }
        };
    }

    @Override
    public String user() {
        return USER;
    }

    @Override
    public String password() {
        return PASSWORD;
    }

    @Override
    public String toString() {
        return "MariaDB";
    }

    private void dropCreated() throws SQLException {
        List<String> names;
        synchronized (created) {
            names = new ArrayList<>(created);
            created.clear();
        }
        if (names.isEmpty()) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(serverUrl(), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String name : names) {
                statement.execute("DROP DATABASE IF EXISTS " + name);
            }
        }
    }

    private static String host() {
        return HOST != null ? HOST : "127.0.0.1";
    }

    private static String serverUrl() {
        return "jdbc:mariadb://" + host() + ":" + PORT + "/";
    }

    /**
     * Runs scripts/ensure-mariadb once per JVM (unless another server is configured): also what
     * installs the binaries {@link MariaDbServerExtension} runs.
     */
    static synchronized void ensureServer() {
        if (ensured || HOST != null) {
            return;
        }
        Path script = findScript();
        Path log = null;
        try {
            long start = System.nanoTime();
            log = Files.createTempFile("ensure-mariadb", ".log");
            // Output to a file: apt-get can write more than a pipe holds.
            Process process =
                    new ProcessBuilder("bash", script.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .start();
            boolean finished = process.waitFor(SCRIPT_TIMEOUT_MINUTES, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            if (!finished || process.exitValue() != 0) {
                throw new IllegalStateException(
                        script
                                + (finished
                                        ? " failed (exit " + process.exitValue() + ")"
                                        : " did not finish in " + SCRIPT_TIMEOUT_MINUTES + " min")
                                + ":\n"
                                + output);
            }
            output.lines()
                    .filter(line -> line.startsWith("ensure-mariadb:"))
                    .forEach(System.out::println);
            System.out.printf(
                    "ensure-mariadb took %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
        ensured = true;
    }

    /** The script in the project directory (surefire's basedir, or a parent of the working dir). */
    private static Path findScript() {
        String basedir = System.getProperty("basedir");
        if (basedir != null && Files.isRegularFile(Path.of(basedir, SCRIPT))) {
            return Path.of(basedir, SCRIPT);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir.resolve(SCRIPT);
            }
        }
        throw new IllegalStateException(
                SCRIPT + " not found above " + Path.of("").toAbsolutePath());
    }

    private static String setting(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
