package com.openplatform.availability.wechat;

import static com.openplatform.availability.wechat.WechatTestSupport.eventually;
import static com.openplatform.availability.wechat.WechatTestSupport.unchecked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.AvailabilityJob;
import com.openplatform.availability.JobSinks;
import com.openplatform.availability.JobSources;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.testing.AlertChecks;
import com.openplatform.availability.testing.EmbeddedPostgresExtension;
import com.openplatform.availability.testing.PacedEvents;
import com.openplatform.availability.testing.ReferenceModel;
import com.openplatform.availability.testing.ResultTables;
import com.openplatform.availability.testkit.CallbackDataGenerator;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import com.openplatform.availability.testkit.WechatSimulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a MiniCluster (parallelism 2, checkpoints every 200 ms) with the WeChat app
 * configured to the simulator: every breach reaches each bound openId exactly once, through a
 * restart and through a WeChat outage.
 */
class WechatAlertsITCase {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Duration JOB_WAIT = Duration.ofMinutes(3);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(smallFileFetches())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension
    static final EmbeddedPostgresExtension POSTGRES = new EmbeddedPostgresExtension();

    /** The failure injected into the events source fires once, after an alert went out. */
    private static final AtomicBoolean FAILURE_ARMED = new AtomicBoolean();

    private static final AtomicInteger SENT_BEFORE_FAILURE = new AtomicInteger(-1);
    private static volatile WechatSimulator failureTrigger;

    @TempDir Path dir;

    /**
     * File sources hand records over in fetches of this many bytes (1 MiB by default, more than a
     * test file): small fetches let a paced file reach the job line by line, not all at its end.
     */
    private static Configuration smallFileFetches() {
        Configuration config = new Configuration();
        config.set(StreamFormat.FETCH_IO_SIZE, MemorySize.parse("16kb"));
        return config;
    }

    private WechatSimulator simulator;

    @BeforeEach
    void startSimulator() throws Exception {
        simulator = WechatTestSupport.simulator();
    }

    @AfterEach
    void stopSimulator() {
        FAILURE_ARMED.set(false);
        failureTrigger = null;
        simulator.close();
    }

    @Test
    void everyBreachReachesEachBoundOpenIdExactlyOnce() throws Exception {
        Inputs inputs = write(generator(31));
        JobConfig config = config(inputs, b -> b);

        run(config, JobSources.files(config, Clock.systemUTC()), new Configuration());

        assertExactlyOnce(config, inputs);
    }

    @Test
    void aRestartWhileAlertsGoOutSendsNoneOfThemTwice() throws Exception {
        // No late events: the result then does not depend on how the two halves interleave.
        Inputs inputs = write(generator(37).lateRatio(0).tooLateRatio(0));
        JobConfig config = config(inputs, b -> b);
        failureTrigger = simulator;
        SENT_BEFORE_FAILURE.set(-1);
        FAILURE_ARMED.set(true);
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restarts.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));

        JobExecutionResult result = run(config, pacedAndFailingOnce(config, inputs), restarts);

        assertFalse(FAILURE_ARMED.get(), "the injected failure fired");
        int before = SENT_BEFORE_FAILURE.get();
        int total = simulator.messages().size();
        assertTrue(before > 0, "alerts went out before the failure");
        System.out.printf(
                "Restart case: the failure was injected when %d of %d messages had been"
                        + " accepted, %d more followed; duplicates %d; %d send requests; job"
                        + " took %d ms%n",
                before,
                total,
                total - before,
                simulator.duplicateCount(),
                simulator.sendRequests(),
                result.getNetRuntime(TimeUnit.MILLISECONDS));
        assertTrue(before < total, "alerts went out after the restart too");
        assertExactlyOnce(config, inputs);
    }

    @Test
    void whileWechatIsDownCountingGoesOnAndTheAlertsGoOutWhenItIsBack() throws Exception {
        Inputs inputs = write(generator(41));
        JobConfig config = config(inputs, b -> b.wechatDrainTimeout(Duration.ofMinutes(2)));
        ReferenceModel.Expected expected = expected(config, inputs);
        int expectedMessages =
                AlertChecks.expectedMessages(expected.rows(), inputs.bindings).size();
        simulator.down(true);

        JobClient job = start(config, JobSources.files(config, Clock.systemUTC()));
        ResultTables tables = tables(config);
        boolean counted =
                eventually(
                        JOB_WAIT,
                        unchecked(
                                () ->
                                        tables.scalar("SELECT count(*) FROM weekly_availability")
                                                == expected.rows().size()));
        assertTrue(counted, "every weekly row was written while WeChat was down");
        assertTrue(
                eventually(
                        JOB_WAIT,
                        unchecked(
                                () ->
                                        tables.scalar(
                                                        "SELECT count(*) FROM alert_delivery"
                                                                + " WHERE status = 'PENDING'")
                                                == expectedMessages)),
                "every alert waits in the ledger, PENDING");
        assertEquals(0, simulator.messages().size());
        assertFalse(job.getJobStatus().get().isGloballyTerminalState(), "the alerts hold the end");

        Instant back = Instant.now();
        simulator.down(false);
        assertTrue(
                eventually(JOB_WAIT, () -> simulator.messages().size() >= expectedMessages),
                "the alerts went out once WeChat was back");
        Duration drain = Duration.between(back, Instant.now());
        job.getJobExecutionResult().get(JOB_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        System.out.printf(
                "WeChat-down case: %d alerts drained %d ms after WeChat came back; %d send"
                        + " requests in all; duplicates %d%n",
                expectedMessages,
                drain.toMillis(),
                simulator.sendRequests(),
                simulator.duplicateCount());

        assertExactlyOnce(config, inputs);
    }

    // ---- the checks ----------------------------------------------------------------------

    /** Rows as an independent calculation has them; each alert sent once (AlertChecks). */
    private void assertExactlyOnce(JobConfig config, Inputs inputs) throws Exception {
        ReferenceModel.Expected expected = expected(config, inputs);
        ResultTables tables = tables(config);
        assertEquals(
                expected.scaledRows(),
                tables.weeklyAvailability(),
                "weekly rows as an independent calculation has them");
        AlertChecks.assertEachAlertDeliveredOnce(
                tables,
                expected.rows(),
                inputs.bindings,
                simulator,
                WechatTestSupport.ISV_TEMPLATE);
        assertEquals(0, simulator.duplicateCount(), "no resend reached WeChat");
    }

    private static ReferenceModel.Expected expected(JobConfig config, Inputs inputs) {
        return new ReferenceModel(
                        config.weekZone(),
                        config.callbackTimeout(),
                        config.watermarkOutOfOrderness(),
                        config.allowedLateness(),
                        config.standardDefault())
                .compute(inputs.events, inputs.standards);
    }

    // ---- running the job -----------------------------------------------------------------

    private JobExecutionResult run(JobConfig config, JobSources sources, Configuration extra)
            throws Exception {
        return environment(config, sources, extra).execute("wechat-alerts-itcase");
    }

    private JobClient start(JobConfig config, JobSources sources) throws Exception {
        return environment(config, sources, new Configuration())
                .executeAsync("wechat-alerts-itcase");
    }

    private StreamExecutionEnvironment environment(
            JobConfig config, JobSources sources, Configuration extra) {
        SchemaMigrations.migrate(config.jdbc());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(extra);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        AvailabilityJob.defineWorkflow(env, config, sources, JobSinks.of(config));
        return env;
    }

    /** The paced file inputs ({@link PacedEvents}), failing once right after the first alert. */
    private JobSources pacedAndFailingOnce(JobConfig config, Inputs inputs) throws Exception {
        return PacedEvents.of(
                JobSources.files(config, Clock.systemUTC()),
                dir,
                lines(inputs.events),
                WechatAlertsITCase::failOnceAfterTheFirstAlert);
    }

    private static void failOnceAfterTheFirstAlert() {
        WechatSimulator trigger = failureTrigger;
        if (FAILURE_ARMED.get() && trigger != null) {
            int sent = trigger.messages().size();
            if (sent > 0 && FAILURE_ARMED.compareAndSet(true, false)) {
                SENT_BEFORE_FAILURE.set(sent);
                throw new IllegalStateException("Injected failure: the job restarts");
            }
        }
    }

    private JobConfig config(Inputs inputs, UnaryOperator<JobConfig.Builder> tweak)
            throws Exception {
        JobConfig.Builder builder =
                JobConfig.builder()
                        .eventsFile(inputs.eventsFile)
                        .standardsFile(inputs.standardsFile)
                        .bindingsFile(inputs.bindingsFile)
                        .dlqFile(dir.resolve("dlq.ndjson").toString())
                        .jdbcUrl(POSTGRES.newDatabase())
                        .jdbcUser("postgres")
                        .jdbcPassword("postgres")
                        .weekZone(ZONE)
                        .wechatApiBaseUrl(simulator.baseUrl())
                        .wechatAppId(WechatTestSupport.APP_ID)
                        .wechatAppSecret(WechatTestSupport.APP_SECRET)
                        .wechatTemplateId(WechatTestSupport.ISV_TEMPLATE)
                        .wechatSendRate(200)
                        .wechatRequestTimeout(Duration.ofSeconds(1))
                        .wechatRetryMaxBackoff(Duration.ofSeconds(1))
                        .wechatDrainTimeout(Duration.ofMinutes(1));
        return tweak.apply(builder).build();
    }

    private static ResultTables tables(JobConfig config) {
        return new ResultTables(
                config.jdbc().url(), config.jdbc().user(), config.jdbc().password());
    }

    private static CallbackDataGenerator.Options generator(long seed) {
        return new CallbackDataGenerator.Options()
                .seed(seed)
                .developers(20)
                .weeks(3)
                .eventsPerWeek(500)
                .zone(ZONE);
    }

    private Inputs write(CallbackDataGenerator.Options options) throws Exception {
        CallbackDataGenerator generator = new CallbackDataGenerator(options);
        Inputs inputs = new Inputs();
        inputs.events = generator.events();
        inputs.standards = generator.standards();
        inputs.bindings = generator.bindings();
        inputs.eventsFile = writeLines("events.ndjson", lines(inputs.events));
        inputs.standardsFile = writeLines("standards.ndjson", inputs.standards);
        inputs.bindingsFile = writeLines("bindings.ndjson", inputs.bindings);
        return inputs;
    }

    private static List<String> lines(List<Line> events) {
        List<String> json = new ArrayList<>(events.size());
        for (Line line : events) {
            json.add(line.json());
        }
        return json;
    }

    private String writeLines(String name, List<String> lines) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file.toString();
    }

    private static final class Inputs {
        List<Line> events;
        List<String> standards;
        List<String> bindings;
        String eventsFile;
        String standardsFile;
        String bindingsFile;
    }
}
