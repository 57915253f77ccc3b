package com.openplatform.availability.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ConfigurationUtils;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A real Flink 2.2 standalone session cluster on 127.0.0.1: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), each a JVM of
 * its own, started the way Flink's {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} start
 * them. The jars come from Maven Central ({@code deploy/flink/pom.xml}); the configuration is
 * {@code flink-conf/config.yaml} with the ports, directories and given overrides replaced, in a
 * {@code conf/} directory of its own; memory flags are computed by Flink's {@code BashJavaUtils}.
 *
 * <p>Jobs are driven over the REST API only, as ops would: jar upload and run (with a savepoint),
 * stop with a savepoint, cancel, status, checkpoints and metrics.
 */
public final class FlinkCluster implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);
    private static final String EXEC_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final String LOCALHOST = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A TaskManager process. */
    public record TaskManager(String resourceId, Process process) {
        public long pid() {
            return process.pid();
        }
    }

    private final Path workDir;
    private final boolean deleteOnClose;
    private final Path confDir;
    private final Path logDir;
    private final String classpath;
    private final Map<String, String> environment;
    private final int restPort;
    private final HttpClient http;
    private final List<TaskManager> taskManagers = new ArrayList<>();
    private Process jobManager;
    private List<String> taskManagerJvmParams;
    private List<String> taskManagerDynamicParams;
    private int taskManagersStarted;

    private FlinkCluster(Builder builder, Path confDir, String classpath, int restPort) {
        this.workDir = builder.workDir;
        this.deleteOnClose = builder.deleteOnClose;
        this.confDir = confDir;
        this.logDir = builder.workDir.resolve("log");
        this.classpath = classpath;
        this.environment = Map.copyOf(builder.environment);
        this.restPort = restPort;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What to start. */
    public static final class Builder {
        private Path workDir;
        private boolean deleteOnClose;
        private Path configDir = Paths.get("flink-conf");
        private int restPort;
        private int taskManagers = 1;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, String> environment = new HashMap<>();

        private Builder() {}

        /** Where conf/, log/, checkpoints/ and savepoints/ go; a new temporary one by default. */
        public Builder workDir(Path value) {
            workDir = value;
            return this;
        }

        /** The directory with config.yaml and log4j.properties; {@code flink-conf} by default. */
        public Builder configDir(Path value) {
            configDir = value;
            return this;
        }

        /** The REST and web UI port; a free one by default. */
        public Builder restPort(int value) {
            restPort = value;
            return this;
        }

        /** TaskManagers started with the cluster (more with {@link #startTaskManager()}). */
        public Builder taskManagers(int value) {
            taskManagers = value;
            return this;
        }

        /**
         * A Flink setting that replaces the one in config.yaml, e.g. a short checkpoint interval.
         */
        public Builder set(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        /** An environment variable of the Flink processes, e.g. a secret the job reads. */
        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        /** Writes the configuration, starts the JobManager and the TaskManagers, waits for them. */
        public FlinkCluster start() throws IOException, InterruptedException {
            if (workDir == null) {
                workDir = Files.createTempDirectory("flink-cluster-");
                deleteOnClose = true;
            }
            workDir = workDir.toAbsolutePath();
            int port = restPort > 0 ? restPort : freePort();
            Path conf = writeConfig(this, port);
            FlinkCluster cluster =
                    new FlinkCluster(
                            this, conf, ChildJvms.classpath("flink", "Flink's jars"), port);
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::destroyForcibly));
            try {
                cluster.startJobManager();
                for (int i = 0; i < taskManagers; i++) {
                    cluster.startTaskManager();
                }
            } catch (IOException | RuntimeException | InterruptedException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        }
    }

    private static Path writeConfig(Builder builder, int restPort) throws IOException {
        Path conf = Files.createDirectories(builder.workDir.resolve("conf"));
        Files.createDirectories(builder.workDir.resolve("log"));
        Configuration config =
                GlobalConfiguration.loadConfiguration(
                        builder.configDir.toAbsolutePath().toString());
        Map<String, String> local = new LinkedHashMap<>();
        for (String key :
                List.of(
                        "jobmanager.rpc.address",
                        "jobmanager.bind-host",
                        "taskmanager.host",
                        "taskmanager.bind-host",
                        "rest.address",
                        "rest.bind-address")) {
            local.put(key, LOCALHOST);
        }
        local.put("jobmanager.rpc.port", String.valueOf(freePort()));
        local.put("blob.server.port", String.valueOf(freePort()));
        local.put("rest.port", String.valueOf(restPort));
        local.put("rest.bind-port", String.valueOf(restPort));
        local.put("web.submit.enable", "true");
        local.put("io.tmp.dirs", dir(builder.workDir.resolve("tmp")).toString());
        // Uploaded jars: in the work directory, so nothing is left behind in the system's temp.
        local.put("web.tmpdir", dir(builder.workDir.resolve("web")).toString());
        local.put(
                "execution.checkpointing.dir",
                dir(builder.workDir.resolve("checkpoints")).toUri().toString());
        local.put(
                "execution.checkpointing.savepoint-dir",
                dir(builder.workDir.resolve("savepoints")).toUri().toString());
        local.putAll(builder.overrides);
        local.forEach(config::setString);
        Files.write(
                conf.resolve("config.yaml"),
                ConfigurationUtils.convertConfigToWritableLines(config, true),
                StandardCharsets.UTF_8);
        for (String log4j : List.of("log4j.properties", "log4j-console.properties")) {
            Path source = builder.configDir.resolve(log4j);
            if (Files.exists(source)) {
                Files.copy(
                        source,
                        conf.resolve(log4j),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return conf;
    }

    private static Path dir(Path path) throws IOException {
        return Files.createDirectories(path).toAbsolutePath();
    }

    // ---- processes -----------------------------------------------------------------------

    private void startJobManager() throws IOException, InterruptedException {
        List<List<String>> params = resourceParams("GET_JM_RESOURCE_PARAMS", List.of());
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(javaOpts("jobmanager"));
        command.addAll(params.get(0));
        command.addAll(logging("jobmanager"));
        command.addAll(List.of("-cp", classpath));
        command.add("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        command.addAll(List.of("--configDir", confDir.toString()));
        command.addAll(params.get(1));
        jobManager = process(command, "jobmanager").start();
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (true) {
            if (!jobManager.isAlive()) {
                throw new IOException("The JobManager exited; see " + logDir);
            }
            try {
                get("/overview");
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("The JobManager did not start within " + STARTUP_TIMEOUT);
                }
                Thread.sleep(300);
            }
        }
    }

    /**
     * Starts one more TaskManager JVM on ports of its own choosing, and waits until it registered
     * with the JobManager.
     */
    public synchronized TaskManager startTaskManager() throws IOException, InterruptedException {
        if (taskManagerJvmParams == null) {
            List<List<String>> params = resourceParams("GET_TM_RESOURCE_PARAMS", List.of());
            taskManagerJvmParams = params.get(0);
            taskManagerDynamicParams = params.get(1);
        }
        String resourceId = "taskmanager-" + (++taskManagersStarted);
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(javaOpts("taskmanager"));
        command.addAll(taskManagerJvmParams);
        command.addAll(logging(resourceId));
        command.addAll(List.of("-cp", classpath));
        command.add("org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        command.addAll(List.of("--configDir", confDir.toString()));
        command.addAll(taskManagerDynamicParams);
        command.addAll(dynamic("taskmanager.resource-id", resourceId));
        // Port 0: the TaskManager binds a free port itself. A port found free here beforehand can
        // be taken by another process before the TaskManager binds it, and then it exits.
        command.addAll(dynamic("taskmanager.rpc.port", "0"));
        command.addAll(dynamic("taskmanager.data.port", "0"));
        TaskManager taskManager = new TaskManager(resourceId, process(command, resourceId).start());
        taskManagers.add(taskManager);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!registeredTaskManagers().contains(resourceId)) {
            if (!taskManager.process().isAlive()) {
                throw new IOException("TaskManager " + resourceId + " exited; see " + logDir);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(resourceId + " did not register within " + STARTUP_TIMEOUT);
            }
            Thread.sleep(300);
        }
        return taskManager;
    }

    /** A TaskManager that runs tasks: one of whose slots are in use. */
    public synchronized TaskManager taskManagerRunningTasks() throws IOException {
        List<String> busy = new ArrayList<>();
        for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
            if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()) {
                busy.add(tm.path("id").asText());
            }
        }
        return taskManagers.stream()
                .filter(tm -> busy.contains(tm.resourceId()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No TaskManager runs tasks"));
    }

    /**
     * Kills {@code victim} with SIGKILL ({@code kill -9}): no shutdown, no goodbye to the
     * JobManager. Returns once the process is gone.
     */
    public synchronized void kill(TaskManager victim) throws InterruptedException {
        taskManagers.remove(victim);
        victim.process().destroyForcibly();
        if (!victim.process().waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(victim.resourceId() + " did not die");
        }
    }

    /**
     * The resource ids of the TaskManagers the JobManager knows (a killed one until it notices).
     */
    public List<String> registeredTaskManagers() throws IOException {
        List<String> ids = new ArrayList<>();
        for (JsonNode tm : get("/taskmanagers").path("taskmanagers")) {
            ids.add(tm.path("id").asText());
        }
        return ids;
    }

    public synchronized List<TaskManager> taskManagers() {
        return List.copyOf(taskManagers);
    }

    public long jobManagerPid() {
        return jobManager.pid();
    }

    /** The JVM flags and {@code -D} settings Flink computes from the memory configuration. */
    private List<List<String>> resourceParams(String command, List<String> dynamic)
            throws IOException, InterruptedException {
        List<String> java = new ArrayList<>();
        java.add(javaBinary());
        java.addAll(List.of("-Xmx256m", "-cp", classpath));
        java.add("org.apache.flink.runtime.util.bash.BashJavaUtils");
        java.add(command);
        java.addAll(List.of("--configDir", confDir.toString()));
        java.addAll(dynamic);
        Path output = logDir.resolve("bash-java-utils.out");
        Process process =
                new ProcessBuilder(java)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("BashJavaUtils " + command + " failed; see " + output);
        }
        // As bin/config.sh: exactly two result lines, JVM flags then dynamic settings.
        List<List<String>> results = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            if (line.startsWith(EXEC_RESULT)) {
                String value = line.substring(EXEC_RESULT.length()).trim();
                results.add(value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+")));
            }
        }
        if (results.size() != 2) {
            throw new IOException(
                    "BashJavaUtils "
                            + command
                            + ": expected 2 result lines, found "
                            + results.size()
                            + "; see "
                            + output);
        }
        return results;
    }

    /** env.java.default-opts / env.java.opts of config.yaml, all and per process, in that order. */
    private List<String> javaOpts(String process) throws IOException {
        Configuration config = GlobalConfiguration.loadConfiguration(confDir.toString());
        List<String> opts = new ArrayList<>();
        for (String key :
                List.of(
                        "env.java.default-opts.all",
                        "env.java.opts.all",
                        "env.java.default-opts." + process,
                        "env.java.opts." + process)) {
            String value = config.getString(key, "").trim();
            if (!value.isEmpty()) {
                opts.addAll(Arrays.asList(value.split("\\s+")));
            }
        }
        return opts;
    }

    private List<String> logging(String name) {
        return List.of(
                "-Dlog.file=" + logDir.resolve(name + ".log"),
                "-Dlog4j.configurationFile=" + confDir.resolve("log4j.properties").toUri());
    }

    private static List<String> dynamic(String key, String value) {
        return List.of("-D", key + "=" + value);
    }

    private ProcessBuilder process(List<String> command, String name) {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        logDir.resolve(name + ".out").toFile()));
        builder.environment().put("FLINK_CONF_DIR", confDir.toString());
        builder.environment().putAll(environment);
        return builder;
    }

    private static String javaBinary() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ---- REST ----------------------------------------------------------------------------

    public int restPort() {
        return restPort;
    }

    /** The REST API and web UI, e.g. http://127.0.0.1:8081. */
    public String restUrl() {
        return "http://" + LOCALHOST + ":" + restPort;
    }

    public Path workDir() {
        return workDir;
    }

    public Path logDir() {
        return logDir;
    }

    /** {@code POST /jars/upload}: returns the jar id. */
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----flink-cluster-" + UUID.randomUUID();
        String head =
                "--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName()
                        + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(restUrl() + "/jars/upload"))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(
                                HttpRequest.BodyPublishers.concat(
                                        HttpRequest.BodyPublishers.ofString(head),
                                        HttpRequest.BodyPublishers.ofFile(jar),
                                        HttpRequest.BodyPublishers.ofString(tail)))
                        .build();
        JsonNode answer = send(request);
        String filename = answer.path("filename").asText();
        return filename.substring(filename.lastIndexOf('/') + 1);
    }

    /**
     * {@code POST /jars/{id}/run}: runs the jar's main() on the JobManager with these program
     * arguments, from a savepoint if one is given (every state must find its operator), at a
     * parallelism if one is given. Returns the job id.
     */
    public String runJar(String jarId, List<String> args, String savepoint, Integer parallelism)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        args.forEach(body.putArray("programArgsList")::add);
        if (savepoint != null) {
            body.put("savepointPath", savepoint);
            body.put("allowNonRestoredState", false);
        }
        if (parallelism != null) {
            body.put("parallelism", parallelism);
        }
        return post("/jars/" + jarId + "/run", body).path("jobid").asText();
    }

    /** Uploads and runs a job jar; returns the job id. */
    public String submit(Path jar, List<String> args, String savepoint, Integer parallelism)
            throws IOException, InterruptedException {
        return runJar(uploadJar(jar), args, savepoint, parallelism);
    }

    /**
     * {@code POST /jobs/{id}/stop}: a savepoint into {@code targetDirectory}, then the job
     * finishes. Returns the savepoint's path once the job is FINISHED.
     */
    public String stopWithSavepoint(String jobId, String targetDirectory)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("targetDirectory", targetDirectory);
        body.put("drain", false);
        String trigger = post("/jobs/" + jobId + "/stop", body).path("request-id").asText();
        String location = awaitSavepoint(jobId, trigger, "Stop-with-savepoint");
        awaitState(jobId, "FINISHED", REQUEST_TIMEOUT);
        return location;
    }

    /**
     * {@code POST /jobs/{id}/savepoints}: a savepoint into {@code targetDirectory} while the job
     * goes on. Returns the savepoint's path once it is complete.
     */
    public String savepoint(String jobId, String targetDirectory)
            throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("target-directory", targetDirectory);
        body.put("cancel-job", false);
        String trigger = post("/jobs/" + jobId + "/savepoints", body).path("request-id").asText();
        return awaitSavepoint(jobId, trigger, "Savepoint");
    }

    /** Polls a savepoint operation until it completes; its location, or why it failed. */
    private String awaitSavepoint(String jobId, String trigger, String what)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode answer = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(answer.path("status").path("id").asText())) {
                JsonNode operation = answer.path("operation");
                if (operation.has("failure-cause")) {
                    throw new IOException(
                            what + " of " + jobId + " failed: " + operation.path("failure-cause"));
                }
                return operation.path("location").asText();
            }
            Thread.sleep(200);
        }
        throw new IOException(what + " of " + jobId + " took over " + REQUEST_TIMEOUT);
    }

    /** {@code PATCH /jobs/{id}?mode=cancel}, waiting until the job is CANCELED. */
    public void cancel(String jobId) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId + "?mode=cancel"))
                        .timeout(REQUEST_TIMEOUT)
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build();
        send(request);
        awaitState(jobId, "CANCELED", REQUEST_TIMEOUT);
    }

    /** The job's state: CREATED, RUNNING, RESTARTING, FAILED, FINISHED, CANCELED, … */
    public String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Whether the job and every one of its vertices are RUNNING (all tasks deployed). */
    public boolean isFullyRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    public void awaitFullyRunning(String jobId, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isFullyRunning(jobId)) {
            failIfTerminal(jobId);
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "Job "
                                + jobId
                                + " is not running after "
                                + timeout
                                + ": "
                                + jobState(jobId));
            }
            Thread.sleep(200);
        }
    }

    public void awaitState(String jobId, String state, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String current;
        while (!(current = jobState(jobId)).equals(state)) {
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "Job " + jobId + " is " + current + ", not " + state + " after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private void failIfTerminal(String jobId) throws IOException, InterruptedException {
        String state = jobState(jobId);
        if (state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED")) {
            throw new IOException(
                    "Job " + jobId + " is " + state + ": " + get("/jobs/" + jobId + "/exceptions"));
        }
    }

    /** {@code GET /jobs/{id}/checkpoints}: counts, the latest completed and restored, history. */
    public JsonNode checkpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints");
    }

    public long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return checkpoints(jobId).path("counts").path("completed").asLong();
    }

    /** Waits until {@code more} checkpoints completed after the call. */
    public void awaitCheckpoints(String jobId, int more, Duration timeout)
            throws IOException, InterruptedException {
        long target = completedCheckpoints(jobId) + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (completedCheckpoints(jobId) < target) {
            failIfTerminal(jobId);
            if (System.nanoTime() > deadline) {
                throw new IOException("No checkpoint of " + jobId + " completed in " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** A job-level metric such as {@code numRestarts}, or -1 if it is not (yet) reported. */
    public long jobMetric(String jobId, String name) throws IOException, InterruptedException {
        for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=" + encode(name))) {
            return (long) Double.parseDouble(metric.path("value").asText());
        }
        return -1;
    }

    /**
     * An operator metric summed over all its subtasks and vertices, found by the end of its name,
     * e.g. {@code availability.eventsRead}; -1 if no operator reports it (yet).
     */
    public long operatorMetric(String jobId, String nameSuffix)
            throws IOException, InterruptedException {
        return operatorMetrics(jobId, List.of(nameSuffix), "").get(nameSuffix);
    }

    /**
     * Operator metrics {@code prefix + name} summed over every subtask of every vertex, by name (-1
     * where no operator reports it yet). The REST API names them {@code <operator
     * name>.<group>.<metric>}, e.g. {@code Reject_invalid_and_late_events.availability.eventsRead}.
     */
    public Map<String, Long> operatorMetrics(String jobId, List<String> names, String prefix)
            throws IOException, InterruptedException {
        Map<String, Long> sums = new LinkedHashMap<>();
        names.forEach(name -> sums.put(name, -1L));
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText();
            Map<String, String> found = new HashMap<>();
            for (JsonNode metric : get(path + "/subtasks/metrics")) {
                String id = metric.path("id").asText();
                for (String name : names) {
                    if (id.endsWith("." + prefix + name)) {
                        found.put(id, name);
                    }
                }
            }
            if (found.isEmpty()) {
                continue;
            }
            String query =
                    String.join(",", found.keySet().stream().map(FlinkCluster::encode).toList());
            for (JsonNode metric : get(path + "/subtasks/metrics?get=" + query + "&agg=sum")) {
                String name = found.get(metric.path("id").asText());
                if (name != null) {
                    long value = (long) metric.path("sum").asDouble();
                    sums.put(name, Math.max(sums.get(name), 0) + value);
                }
            }
        }
        return sums;
    }

    /** A GET of the REST API, e.g. {@code /jobs/overview}, as JSON. */
    public JsonNode get(String path) throws IOException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(restUrl() + path))
                        .timeout(REQUEST_TIMEOUT)
                        .GET()
                        .build();
        try {
            return send(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted: GET " + path, e);
        }
    }

    private JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(restUrl() + path))
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build();
        return send(request);
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    request.method()
                            + " "
                            + request.uri().getPath()
                            + " answered "
                            + response.statusCode()
                            + ": "
                            + response.body());
        }
        String body = response.body();
        return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- stopping ------------------------------------------------------------------------

    /**
     * Stops the TaskManagers and the JobManager (SIGTERM, then SIGKILL after 30 s) and, if it was a
     * temporary one, deletes the work directory. Jobs still running are not cancelled first: their
     * retained checkpoints stay in the work directory.
     */
    @Override
    public synchronized void close() {
        List<Process> processes = new ArrayList<>();
        taskManagers.forEach(tm -> processes.add(tm.process()));
        taskManagers.clear();
        if (jobManager != null) {
            processes.add(jobManager);
        }
        ChildJvms.stop(processes);
        if (deleteOnClose) {
            try (Stream<Path> files = Files.walk(workDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A JVM that dies without close() must not leave Flink running. */
    private synchronized void destroyForcibly() {
        taskManagers.forEach(tm -> tm.process().destroyForcibly());
        if (jobManager != null) {
            jobManager.destroyForcibly();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
