package com.openplatform.availability.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A real Kafka 4.2 broker in KRaft mode (broker and controller in one process), started as a child
 * JVM from the Maven Central jars on 127.0.0.1 with free ports and a temporary directory. Its
 * classpath is resolved by {@code deploy/kafka/pom.xml}, apart from the job's.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

    private final Path dir;
    private final Process process;
    private final String bootstrapServers;

    private KafkaBroker(Path dir, Process process, String bootstrapServers) {
        this.dir = dir;
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /** Starts a broker in a new temporary directory and waits until it answers. */
    public static KafkaBroker start() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kafka-broker-");
        String classpath = ChildJvms.classpath("kafka", "the Kafka broker's jars");
        int port = freePort();
        int controllerPort = freePort();
        Path config = dir.resolve("server.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:"
                                + port
                                + ",CONTROLLER://127.0.0.1:"
                                + controllerPort,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:"
                                + port
                                + ",CONTROLLER://127.0.0.1:"
                                + controllerPort,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                        "log.dirs=" + dir.resolve("data"),
                        "num.partitions=1",
                        "offsets.topic.replication.factor=1",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "log.cleaner.backoff.ms=1000",
                        ""),
                StandardCharsets.UTF_8);
        String clusterId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
        run(
                dir,
                classpath,
                "format",
                List.of(
                        "kafka.tools.StorageTool",
                        "format",
                        "--standalone",
                        "-t",
                        clusterId,
                        "-c",
                        config.toString()));
        Process broker =
                java(dir, classpath, List.of("kafka.Kafka", config.toString()), "broker").start();
        KafkaBroker started = new KafkaBroker(dir, broker, "127.0.0.1:" + port);
        // A JVM that dies without close() must not leave the broker running.
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroyForcibly));
        try {
            started.awaitReady();
        } catch (IOException | RuntimeException | InterruptedException e) {
            started.close();
            throw e;
        }
        return started;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker process's id (deploy/local/playground records it). */
    public long pid() {
        return process.pid();
    }

    /** Creates a topic; compacted ones keep the latest record per key forever. */
    public void createTopic(String name, int partitions, boolean compacted) {
        try (Admin admin = admin()) {
            NewTopic topic = new NewTopic(name, partitions, (short) 1);
            if (compacted) {
                topic.configs(
                        Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            awaitLeaders(admin, name, partitions);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + name, e);
        }
    }

    /**
     * Waits until every partition of a new topic has a leader: a consumer started earlier may not
     * see the topic yet, and one that finds it later starts after the records produced meanwhile.
     */
    private static void awaitLeaders(Admin admin, String topic, int partitions) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription description =
                        admin.describeTopics(List.of(topic))
                                .allTopicNames()
                                .get(10, TimeUnit.SECONDS)
                                .get(topic);
                if (description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(p -> p.leader() != null)) {
                    return;
                }
            } catch (ExecutionException notYet) {
                if (!(notYet.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw notYet;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Topic " + topic + " has no leaders after 30 s");
    }

    public Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return Admin.create(properties);
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("The Kafka broker exited; see " + dir.resolve("broker.log"));
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                Thread.sleep(500);
            }
        }
        throw new IOException("The Kafka broker did not start within " + STARTUP_TIMEOUT);
    }

    /** Stops the broker (and waits for it) and deletes its directory. */
    @Override
    public void close() {
        ChildJvms.stop(List.of(process));
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path dir, String classpath, String name, List<String> arguments)
            throws IOException, InterruptedException {
        Process process = java(dir, classpath, arguments, name).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("Kafka " + name + " failed; see " + dir.resolve(name + ".log"));
        }
    }

    private static ProcessBuilder java(
            Path dir, String classpath, List<String> arguments, String name) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-cp", classpath));
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.addAll(arguments);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
