package com.openplatform.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.openplatform.availability.config.JobConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/kubernetes/}: the FlinkDeployment has the settings exactly-once and upgrades rely
 * on, agrees with {@code flink-conf/config.yaml}, takes its secrets from the Secret only, and runs
 * the job with flags the job accepts.
 */
class KubernetesManifestTest {
    private static final Path DIR = Paths.get("deploy", "kubernetes");
    private static final YAMLMapper YAML = new YAMLMapper();

    /** The settings that must not drift between the cluster config and Kubernetes. */
    private static final List<String> SHARED_SETTINGS =
            List.of(
                    "state.backend.type",
                    "execution.checkpointing.incremental",
                    "state.backend.rocksdb.use-bloom-filter",
                    "state.backend.rocksdb.memory.partitioned-index-filters",
                    "execution.checkpointing.mode",
                    "execution.checkpointing.interval",
                    "execution.checkpointing.timeout",
                    "execution.checkpointing.num-retained",
                    "execution.checkpointing.externalized-checkpoint-retention",
                    "restart-strategy.type",
                    "restart-strategy.exponential-delay.initial-backoff",
                    "restart-strategy.exponential-delay.max-backoff",
                    "jobmanager.execution.failover-strategy",
                    "heartbeat.interval",
                    "heartbeat.timeout",
                    "heartbeat.rpc-failure-threshold",
                    "pipeline.object-reuse",
                    "pipeline.generic-types",
                    "pipeline.max-parallelism",
                    "metrics.reporter.prom.factory.class");

    private final JsonNode deployment = read("flink-deployment.yaml");
    private final JsonNode secret = read("secret.yaml");
    private final JsonNode flink = deployment.path("spec").path("flinkConfiguration");

    @Test
    void isAFlinkDeploymentOfFlink2UpgradedWithSavepoints() {
        assertEquals("flink.apache.org/v1beta1", deployment.path("apiVersion").asText());
        assertEquals("FlinkDeployment", deployment.path("kind").asText());
        assertEquals("v2_2", deployment.path("spec").path("flinkVersion").asText());
        JsonNode job = deployment.path("spec").path("job");
        assertEquals("savepoint", job.path("upgradeMode").asText());
        assertEquals("running", job.path("state").asText());
        assertFalse(job.path("allowNonRestoredState").asBoolean(true), "every state restored");
        assertEquals(AvailabilityJob.class.getName(), job.path("entryClass").asText());
        int parallelism = job.path("parallelism").asInt();
        assertTrue(parallelism >= 1 && parallelism <= 128, "parallelism " + parallelism);
        assertFalse(deployment.path("spec").path("jobManager").path("resource").isMissingNode());
        assertFalse(deployment.path("spec").path("taskManager").path("resource").isMissingNode());
    }

    @Test
    void exactlyOnceRocksDbIncrementalCheckpointsOnDurableStorage() {
        assertEquals("rocksdb", flink.path("state.backend.type").asText());
        assertEquals("true", flink.path("execution.checkpointing.incremental").asText());
        assertEquals("EXACTLY_ONCE", flink.path("execution.checkpointing.mode").asText());
        for (String dir :
                List.of(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.storageDir")) {
            String value = flink.path(dir).asText();
            assertTrue(
                    value.matches("(s3|s3a|s3p|gs|hdfs|abfss|oss)://.+"),
                    dir + " must be durable shared storage, not a pod's disk: " + value);
        }
        assertEquals("kubernetes", flink.path("high-availability.type").asText());
    }

    @Test
    void agreesWithTheClusterConfig() {
        Configuration cluster = GlobalConfiguration.loadConfiguration("flink-conf");
        for (String key : SHARED_SETTINGS) {
            assertTrue(flink.has(key), key + " is missing");
            assertEquals(cluster.getString(key, null), flink.path(key).asText(), key);
        }
    }

    @Test
    void secretsComeFromTheSecretOnly() throws IOException {
        String secretName = secret.path("metadata").path("name").asText();
        assertEquals("Secret", secret.path("kind").asText());
        Map<String, String> wanted =
                Map.of(
                        JobConfig.ENV_JDBC_PASSWORD, "jdbc-password",
                        JobConfig.ENV_WECHAT_APP_SECRET, "wechat-app-secret");
        JsonNode env =
                deployment
                        .path("spec")
                        .path("podTemplate")
                        .path("spec")
                        .path("containers")
                        .path(0)
                        .path("env");
        for (Map.Entry<String, String> variable : wanted.entrySet()) {
            JsonNode entry = null;
            for (JsonNode candidate : env) {
                if (candidate.path("name").asText().equals(variable.getKey())) {
                    entry = candidate;
                }
            }
            assertNotNull(entry, variable.getKey() + " is not set");
            assertFalse(entry.has("value"), variable.getKey() + " must not be inline");
            JsonNode ref = entry.path("valueFrom").path("secretKeyRef");
            assertEquals(secretName, ref.path("name").asText());
            assertEquals(variable.getValue(), ref.path("key").asText());
            assertTrue(secret.path("stringData").has(variable.getValue()));
            assertTrue(
                    secret.path("stringData").path(variable.getValue()).asText().startsWith("<"),
                    "the Secret is a template, with no real value");
        }
        List<String> args = args();
        assertFalse(args.contains("--jdbc.password"), "no password in the arguments");
        assertFalse(args.contains("--wechat.app-secret"), "no app secret in the arguments");
        String text = Files.readString(DIR.resolve("flink-deployment.yaml")).toLowerCase();
        assertFalse(text.contains("password:") || text.contains("secret-key"), "no inline secret");
    }

    @Test
    void theJobAcceptsItsArguments() {
        List<String> args = args();
        assertTrue(args.contains("--kafka.bootstrap-servers"));
        assertTrue(args.contains("--jdbc.url"));
        JobConfig config =
                JobConfig.fromArgs(
                        args.toArray(new String[0]),
                        Map.of(
                                JobConfig.ENV_JDBC_PASSWORD, "from-the-secret",
                                JobConfig.ENV_WECHAT_APP_SECRET, "from-the-secret"));
        assertTrue(config.isKafkaMode());
        assertTrue(config.wechat().isConfigured());
        assertTrue(config.jdbc().url().startsWith("jdbc:postgresql://"));
    }

    @Test
    void theImagePutsTheJarWhereJarUriPoints() throws IOException {
        String jarUri = deployment.path("spec").path("job").path("jarURI").asText();
        assertTrue(jarUri.startsWith("local://"), jarUri);
        String path = jarUri.substring("local://".length());
        String dockerfile = Files.readString(DIR.resolve("Dockerfile"));
        assertTrue(
                dockerfile.lines().anyMatch(l -> l.startsWith("COPY") && l.endsWith(" " + path)),
                "the Dockerfile copies the job jar to " + path);
        assertTrue(
                dockerfile.contains("/build/job/target/callback-availability.jar"),
                "the shaded jar the build stage packaged");
        assertTrue(
                dockerfile.contains("cp /opt/flink/opt/flink-s3-fs-presto-*.jar"),
                "the S3 plugin by pattern, not by a versioned name");
    }

    @Test
    void upgradesStopWithASavepointWithoutDraining() {
        assertEquals(
                "false",
                flink.path("kubernetes.operator.job.drain-on-savepoint-deletion").asText());
    }

    @Test
    void thePodMonitorScrapesTheMetricsPortOfTheDeploymentsPods() {
        JsonNode monitor = read("pod-monitor.yaml");
        assertEquals("PodMonitor", monitor.path("kind").asText());
        assertEquals(
                deployment.path("metadata").path("name").asText(),
                monitor.path("spec").path("selector").path("matchLabels").path("app").asText());
        String port = monitor.path("spec").path("podMetricsEndpoints").get(0).path("port").asText();
        boolean declared = false;
        for (JsonNode container :
                deployment.path("spec").path("podTemplate").path("spec").path("containers")) {
            for (JsonNode p : container.path("ports")) {
                declared |= p.path("name").asText().equals(port);
            }
        }
        assertTrue(declared, "the pod template names the port " + port);
    }

    private List<String> args() {
        List<String> args = new ArrayList<>();
        deployment.path("spec").path("job").path("args").forEach(a -> args.add(a.asText()));
        return args;
    }

    private static JsonNode read(String file) {
        try {
            return YAML.readTree(DIR.resolve(file).toFile());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + DIR.resolve(file), e);
        }
    }
}
