package com.openplatform.availability.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.testkit.FlinkCluster;
import com.openplatform.availability.testkit.WechatSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** What the tests on a real session cluster ({@link FlinkCluster}) share. */
public final class ClusterTests {
    private ClusterTests() {}

    /** The shaded job jar {@code package} built (failsafe passes its path as {@code job.jar}). */
    public static Path jobJar() {
        Path jar = Paths.get(System.getProperty("job.jar", "job/target/callback-availability.jar"));
        assertTrue(
                Files.exists(jar),
                "the shaded job jar "
                        + jar
                        + " is missing: run this test with `mvn verify` (after package)");
        return jar;
    }

    /**
     * A cluster sized for a small machine with checkpoints every second (a failure loses little and
     * the test stays short), the job's secrets in its environment: they reach the job's main() from
     * the JobManager's environment.
     */
    public static FlinkCluster.Builder smallCluster(String jdbcPassword, String wechatSecret) {
        return FlinkCluster.builder()
                .set("jobmanager.memory.process.size", "1024m")
                .set("taskmanager.memory.process.size", "1728m")
                .set("execution.checkpointing.interval", "1 s")
                .set("execution.checkpointing.min-pause", "500 ms")
                .set("metrics.fetcher.update-interval", "500")
                // REST answers from a cache of the job's state up to this old (3 s by default):
                // the recovery test times the job's return to RUNNING through it.
                .set("web.refresh-interval", "100 ms")
                .environment(JobConfig.ENV_JDBC_PASSWORD, jdbcPassword)
                .environment(JobConfig.ENV_WECHAT_APP_SECRET, wechatSecret);
    }

    /** The WeChat flags of a job sending to {@code wechat}. */
    public static List<String> wechatArgs(WechatSimulator wechat, String appId, String template) {
        return List.of(
                "--wechat.api-base-url",
                wechat.baseUrl(),
                "--wechat.app-id",
                appId,
                "--wechat.template-id",
                template,
                "--wechat.send-rate",
                "200",
                "--wechat.request-timeout",
                "2 s",
                "--wechat.retry-max-backoff",
                "1 s");
    }
}
