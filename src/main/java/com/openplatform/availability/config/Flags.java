package com.openplatform.availability.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/** The program arguments the job accepts (SPEC §5), each mapped onto the config builder. */
final class Flags {
    private static final Map<String, BiConsumer<JobConfig.Builder, String>> FLAGS =
            new LinkedHashMap<>();

    static {
        FLAGS.put("kafka.bootstrap-servers", JobConfig.Builder::kafkaBootstrapServers);
        FLAGS.put("kafka.group-id", JobConfig.Builder::kafkaGroupId);
        FLAGS.put(
                "kafka.start-from",
                (b, v) -> b.kafkaStartFrom(KafkaStartFrom.parse("kafka.start-from", v)));
        FLAGS.put(
                "kafka.stop-at-latest",
                (b, v) -> b.kafkaStopAtLatest(JobConfig.bool("kafka.stop-at-latest", v)));
        FLAGS.put("topic.events", JobConfig.Builder::topicEvents);
        FLAGS.put("topic.standards", JobConfig.Builder::topicStandards);
        FLAGS.put("topic.bindings", JobConfig.Builder::topicBindings);
        FLAGS.put("topic.dead-letter", JobConfig.Builder::topicDeadLetter);
        FLAGS.put("events.file", JobConfig.Builder::eventsFile);
        FLAGS.put("standards.file", JobConfig.Builder::standardsFile);
        FLAGS.put("bindings.file", JobConfig.Builder::bindingsFile);
        FLAGS.put("dlq.file", JobConfig.Builder::dlqFile);
        FLAGS.put("jdbc.url", JobConfig.Builder::jdbcUrl);
        FLAGS.put("jdbc.user", JobConfig.Builder::jdbcUser);
        FLAGS.put("jdbc.password", JobConfig.Builder::jdbcPassword);
        FLAGS.put("week.zone", (b, v) -> b.weekZone(JobConfig.zone("week.zone", v)));
        FLAGS.put(
                "callback.timeout",
                (b, v) -> b.callbackTimeout(JobConfig.duration("callback.timeout", v)));
        FLAGS.put(
                "standard.default",
                (b, v) -> b.standardDefault(JobConfig.decimal("standard.default", v)));
        FLAGS.put(
                "watermark.out-of-orderness",
                (b, v) ->
                        b.watermarkOutOfOrderness(
                                JobConfig.duration("watermark.out-of-orderness", v)));
        FLAGS.put(
                "watermark.idle-timeout",
                (b, v) -> b.watermarkIdleTimeout(JobConfig.duration("watermark.idle-timeout", v)));
        FLAGS.put(
                "allowed-lateness",
                (b, v) -> b.allowedLateness(JobConfig.duration("allowed-lateness", v)));
        FLAGS.put(
                "event.max-future",
                (b, v) -> b.eventMaxFuture(JobConfig.duration("event.max-future", v)));
        FLAGS.put(
                "pre-aggregation.max-entries",
                (b, v) ->
                        b.preAggregationMaxEntries(
                                JobConfig.integer("pre-aggregation.max-entries", v)));
        FLAGS.put("wechat.api-base-url", JobConfig.Builder::wechatApiBaseUrl);
        FLAGS.put("wechat.app-id", JobConfig.Builder::wechatAppId);
        FLAGS.put("wechat.app-secret", JobConfig.Builder::wechatAppSecret);
        FLAGS.put("wechat.template-id", JobConfig.Builder::wechatTemplateId);
        FLAGS.put("wechat.brand-template-id", JobConfig.Builder::wechatBrandTemplateId);
        FLAGS.put("wechat.url", JobConfig.Builder::wechatUrl);
        FLAGS.put(
                "wechat.send-rate",
                (b, v) -> b.wechatSendRate(JobConfig.decimal("wechat.send-rate", v).doubleValue()));
        FLAGS.put("wechat.data-keys", JobConfig.Builder::wechatDataKeys);
        FLAGS.put(
                "wechat.request-timeout",
                (b, v) -> b.wechatRequestTimeout(JobConfig.duration("wechat.request-timeout", v)));
        FLAGS.put(
                "wechat.max-attempts",
                (b, v) -> b.wechatMaxAttempts(JobConfig.integer("wechat.max-attempts", v)));
        FLAGS.put(
                "wechat.retry-max-backoff",
                (b, v) ->
                        b.wechatRetryMaxBackoff(JobConfig.duration("wechat.retry-max-backoff", v)));
        FLAGS.put(
                "wechat.drain-timeout",
                (b, v) -> b.wechatDrainTimeout(JobConfig.duration("wechat.drain-timeout", v)));
    }

    private Flags() {}

    static boolean isKnown(String name) {
        return FLAGS.containsKey(name);
    }

    static String names() {
        return String.join(", ", FLAGS.keySet());
    }

    static void apply(JobConfig.Builder builder, String name, String value) {
        FLAGS.get(name).accept(builder, value);
    }
}
