package com.openplatform.availability.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A MariaDB server process of the test class's own, on a free port and a temporary data directory,
 * which a fault test can stop and start again. Never the machine's shared server on 3306, which
 * other tests use at the same time. The binaries are those {@code scripts/ensure-mariadb} installs.
 * The server runs without grant tables: user root, no password.
 */
public final class MariaDbServerExtension
        implements OutageDatabase, BeforeAllCallback, AfterAllCallback {
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private Path dataDirectory;
    private int port;
    private Process server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        MariaDbExtension.ensureServer();
        dataDirectory = Files.createTempDirectory("mariadb-fault");
        run(
                List.of(
                        "mariadb-install-db",
                        "--no-defaults",
                        "--datadir=" + dataDirectory,
                        "--user=" + System.getProperty("user.name"),
                        "--skip-test-db",
                        "--auth-root-authentication-method=normal"));
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        TempDirs.delete(dataDirectory);
    }

    @Override
    public synchronized void start() throws IOException, InterruptedException {
        if (server != null) {
            return;
        }
        List<String> command = new ArrayList<>();
        command.add("mariadbd");
        command.add("--no-defaults");
        command.add("--datadir=" + dataDirectory);
        command.add("--port=" + port);
        command.add("--socket=" + dataDirectory.resolve("mariadb.sock"));
        command.add("--pid-file=" + dataDirectory.resolve("mariadb.pid"));
        command.add("--bind-address=127.0.0.1");
        command.add("--user=" + System.getProperty("user.name"));
        command.add("--skip-grant-tables");
        command.add("--skip-log-bin");
        command.add("--innodb-buffer-pool-size=64M");
        command.add("--log-error=" + dataDirectory.resolve("error.log"));
        server =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(dataDirectory.resolve("server.out").toFile())
                        .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (!answers()) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IOException(
                        "mariadbd did not start: "
                                + Files.readString(dataDirectory.resolve("error.log")));
            }
            Thread.sleep(200);
        }
    }

    /** A normal shutdown (SIGTERM): connections are closed, the data stays. */
    @Override
    public synchronized void stop() throws InterruptedException {
        if (server == null) {
            return;
        }
        server.destroy();
        if (!server.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
        }
        server = null;
    }

    private boolean answers() {
        try (Connection c = DriverManager.getConnection(serverUrl(), user(), password())) {
            return c.isValid(1);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public String newDatabase() throws SQLException {
        String name = "results_" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(serverUrl(), user(), password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return serverUrl() + name;
    }

    private String serverUrl() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/";
    }

    @Override
    public String user() {
        return "root";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public String toString() {
        return "MariaDB";
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
