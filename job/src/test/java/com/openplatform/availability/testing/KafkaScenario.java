package com.openplatform.availability.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.testkit.CallbackDataGenerator;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import com.openplatform.availability.testkit.WechatSimulator;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A generated scenario of the job in Kafka mode ({@link TestData#streamingScenario}) with topics
 * and a database of its own: the job's config, what to produce, and what the job must write.
 *
 * <p>Events go to partition 0, in the order the reference model sees them, so which events are too
 * late is known exactly. A last event two weeks on closes every generated week, lateness included.
 */
public final class KafkaScenario {
    private static final ZoneId ZONE = TestData.SHANGHAI;
    private static final AtomicInteger TOPICS = new AtomicInteger();

    public final CallbackDataGenerator generator;
    public final List<Line> events;
    public final JobConfig config;
    public final ReferenceModel.Expected expected;
    public final LocalDate closedBefore;
    private final KafkaBrokerExtension kafka;

    public KafkaScenario(KafkaBrokerExtension kafka, TestDatabase database, long seed)
            throws SQLException {
        this(kafka, database, seed, 1, 0.005, b -> b);
    }

    /**
     * @param tweak further settings of the job's config (e.g. WeChat)
     */
    public KafkaScenario(
            KafkaBrokerExtension kafka,
            TestDatabase database,
            long seed,
            int partitions,
            double tooLateRatio,
            UnaryOperator<JobConfig.Builder> tweak)
            throws SQLException {
        this.kafka = kafka;
        generator = TestData.streamingScenario(seed, tooLateRatio);
        closedBefore = TestData.SCENARIO_FIRST_MONDAY.plusWeeks(TestData.SCENARIO_WEEKS);
        events = new ArrayList<>(generator.events());
        long later = closedBefore.plusWeeks(2).atStartOfDay(ZONE).toInstant().toEpochMilli();
        CallbackDataGenerator.GeneratedEvent closer =
                new CallbackDataGenerator.GeneratedEvent(
                        "closer-" + seed, 1, "order.push", later, 200, 10, true);
        events.add(new Line(closer.json(), closer));
        int n = TOPICS.incrementAndGet();
        config =
                tweak.apply(
                                JobConfig.builder()
                                        .kafkaBootstrapServers(kafka.bootstrapServers())
                                        .kafkaGroupId("itcase-" + n)
                                        .topicEvents("events-" + n)
                                        .topicStandards("standards-" + n)
                                        .topicBindings("bindings-" + n)
                                        .topicDeadLetter("dead-letter-" + n)
                                        .jdbcUrl(database.newDatabase())
                                        .jdbcUser(database.user())
                                        .jdbcPassword(database.password())
                                        .weekZone(ZONE)
                                        .watermarkIdleTimeout(Duration.ofSeconds(1))
                                        // The closing event lies weeks ahead of today's clock.
                                        .eventMaxFuture(Duration.ofDays(365)))
                        .build();
        createTopics(kafka, config, partitions);
        expected = ReferenceModel.of(config).compute(events, generator.standards());
    }

    /** The four topics of {@code config}; the events topic with {@code partitions}. */
    public static void createTopics(KafkaBrokerExtension kafka, JobConfig config, int partitions) {
        kafka.broker().createTopic(config.topicEvents(), partitions, false);
        kafka.broker().createTopic(config.topicStandards(), 1, true);
        kafka.broker().createTopic(config.topicBindings(), 1, true);
        kafka.broker().createTopic(config.topicDeadLetter(), 1, false);
    }

    /**
     * The job's flags for this scenario, for a job submitted to a cluster; the JDBC password is not
     * among them (the cluster's environment has it, {@code JDBC_PASSWORD}).
     */
    public List<String> args() {
        return new ArrayList<>(
                List.of(
                        "--kafka.bootstrap-servers", config.kafkaBootstrapServers(),
                        "--kafka.group-id", config.kafkaGroupId(),
                        "--topic.events", config.topicEvents(),
                        "--topic.standards", config.topicStandards(),
                        "--topic.bindings", config.topicBindings(),
                        "--topic.dead-letter", config.topicDeadLetter(),
                        "--jdbc.url", config.jdbc().url(),
                        "--jdbc.user", config.jdbc().user(),
                        "--week.zone", config.weekZone().getId(),
                        "--watermark.idle-timeout", "1 s",
                        "--event.max-future", config.eventMaxFuture().toDays() + " d"));
    }

    /** Keyed by the line itself: compaction then keeps every distinct update. */
    public void produceStandards() {
        kafka.produce(config.topicStandards(), 0, generator.standards(), line -> line);
    }

    public void produceBindings() {
        kafka.produce(config.topicBindings(), 0, generator.bindings(), line -> line);
    }

    /** {@code lines} to partition 0 of the events topic. */
    public void produce(List<Line> lines) {
        kafka.produce(config.topicEvents(), 0, lines.stream().map(Line::json).toList());
    }

    /** Every event, 400 at a time every 150 ms: the job reads while they come. */
    public void produceSlowly() {
        int chunk = 400;
        for (int from = 0; from < events.size(); from += chunk) {
            produce(events.subList(from, Math.min(events.size(), from + chunk)));
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public DeadLetterTopic expectedDeadLetters() {
        return DeadLetterTopic.expected(events, expected, 2);
    }

    public DeadLetterTopic deadLetters() {
        return DeadLetterTopic.read(kafka, config.topicDeadLetter());
    }

    /** The rows of the closed weeks. */
    public Map<String, ReferenceModel.Row> expectedRows() {
        return expected.rowsBefore(closedBefore);
    }

    /**
     * Waits until the job wrote every row of the closed weeks, sent every alert they call for to
     * {@code wechat} and committed every dead letter.
     */
    public void awaitComplete(WechatSimulator wechat, Duration timeout) throws Exception {
        int messages = AlertChecks.expectedMessages(expectedRows(), generator.bindings()).size();
        Await.until(
                timeout,
                () ->
                        tables().weeklyAvailability().equals(expectedRows())
                                && wechat.messages().size() >= messages
                                && deadLetters().equals(expectedDeadLetters()),
                "every row, alert and dead letter is written");
    }

    /**
     * Rows as the reference model has them, each dead letter once, each alert delivered once
     * ({@link AlertChecks#assertEachAlertDeliveredOnce}).
     */
    public void assertExactlyOnce(WechatSimulator wechat, String template) throws Exception {
        assertEquals(expectedRows(), tables().weeklyAvailability());
        expectedDeadLetters().assertHeldBy(deadLetters());
        AlertChecks.assertEachAlertDeliveredOnce(
                tables(), expectedRows(), generator.bindings(), wechat, template);
    }

    public ResultTables tables() {
        return new ResultTables(
                config.jdbc().url(), config.jdbc().user(), config.jdbc().password());
    }
}
