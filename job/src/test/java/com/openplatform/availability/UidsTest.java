package com.openplatform.availability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.config.JobConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * Savepoints restore by operator uid: a changed or missing uid loses that operator's state on the
 * next upgrade (or fails the restore). The job graph's uids must equal {@code uids.txt}; changing
 * one on purpose means changing that file too, and a migration plan (docs/operations.md).
 */
class UidsTest {

    @Test
    void everyOperatorOfTheJobHasTheCheckedInUid() throws IOException {
        // Production (Kafka) with and without a WeChat app: the graphs differ by one operator.
        Map<String, String> actual = new TreeMap<>(uids(b -> b));
        actual.putAll(
                uids(b -> b.wechatAppId("wx0123").wechatAppSecret("s").wechatTemplateId("t")));
        assertEquals(
                checkedIn(),
                new TreeSet<>(actual.keySet()),
                "operator uids changed: a savepoint of the running version would not restore"
                        + " into this one (see src/test/resources/uids.txt). The graph has: "
                        + actual);
    }

    /** uid → operator name of every node of the Kafka-mode graph. */
    private static Map<String, String> uids(UnaryOperator<JobConfig.Builder> tweak) {
        JobConfig config =
                tweak.apply(
                                JobConfig.builder()
                                        .kafkaBootstrapServers("127.0.0.1:9")
                                        .jdbcUrl("jdbc:postgresql://127.0.0.1:1/unused"))
                        .build();
        return uids(graph(config));
    }

    private static StreamGraph graph(JobConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        AvailabilityJob.defineWorkflow(env, config, JobSources.of(config), JobSinks.of(config));
        return env.getStreamGraph();
    }

    private static Map<String, String> uids(StreamGraph graph) {
        Map<String, String> uids = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            String uid = node.getTransformationUID();
            if (uid == null) {
                missing.add(node.getOperatorName());
            } else {
                uids.put(uid, node.getOperatorName());
            }
        }
        assertEquals(List.of(), missing, "operators without a uid");
        return uids;
    }

    /** The uids of uids.txt: one a line, {@code #} starts a comment. */
    private static TreeSet<String> checkedIn() throws IOException {
        TreeSet<String> uids = new TreeSet<>();
        try (InputStream in = UidsTest.class.getResourceAsStream("/uids.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int comment = line.indexOf('#');
                String uid = (comment < 0 ? line : line.substring(0, comment)).strip();
                if (!uid.isEmpty()) {
                    uids.add(uid);
                }
            }
        }
        return uids;
    }
}
