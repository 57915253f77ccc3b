package com.openplatform.availability.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * The program arguments the job accepts, each declared once here: its name, its default, what it
 * means and how its value is checked and set. The builder's defaults, {@code --help} and the
 * README's flag table all come from these declarations.
 */
public final class Flags {
    /**
     * One flag.
     *
     * @param defaultValue the value the builder starts from, in the flag's own syntax; null when
     *     there is none
     * @param shownDefault how the help shows the default when it is not a value (null: the value)
     */
    public record Flag(
            String name,
            String defaultValue,
            String shownDefault,
            String description,
            BiConsumer<JobConfig.Builder, String> setter) {

        /** The default as the help and the README show it. */
        public String defaultText() {
            if (shownDefault != null) {
                return shownDefault;
            }
            return defaultValue == null ? "—" : defaultValue;
        }
    }

    private static final List<Flag> FLAGS = new ArrayList<>();

    static {
        add(
                "kafka.bootstrap-servers",
                null,
                "Kafka mode: the brokers to read the three topics from and write the dead letters"
                        + " to; without it the file flags (--events.file, …) are required",
                JobConfig.Builder::kafkaBootstrapServers);
        add(
                "kafka.group-id",
                "callback-availability",
                "consumer group of the events; the update topics use {group-id}-{topic}, the"
                        + " dead-letter transactions {group-id}-dlq",
                JobConfig.Builder::kafkaGroupId);
        add(
                "kafka.start-from",
                null,
                "committed",
                "where a start without state reads the events: committed (the group's offsets,"
                        + " else the earliest), earliest, or an ISO timestamp such as"
                        + " 2026-11-08T23:50:00+08:00 (Kafka record time); a restore always"
                        + " resumes from its state",
                (b, v) -> b.kafkaStartFrom(KafkaStartFrom.parse("kafka.start-from", v)));
        add(
                "kafka.stop-at-latest",
                "false",
                "true: bounded Kafka mode, the three topics are read up to their latest offsets at"
                        + " the start, then every window fires and the job finishes, like a file run"
                        + " (backfills, benchmarks)",
                (b, v) -> b.kafkaStopAtLatest(JobConfig.bool("kafka.stop-at-latest", v)));
        add(
                "topic.events",
                "callback-events",
                "topic of the callback events",
                JobConfig.Builder::topicEvents);
        add(
                "topic.standards",
                "availability-standards",
                "compacted topic of the availability standards",
                JobConfig.Builder::topicStandards);
        add(
                "topic.bindings",
                "wechat-bindings",
                "compacted topic of the WeChat bindings",
                JobConfig.Builder::topicBindings);
        add(
                "topic.dead-letter",
                "callback-events-dlq",
                "topic the rejected records are written to, exactly once",
                JobConfig.Builder::topicDeadLetter);
        add(
                "events.file",
                null,
                "file mode: the callback events, one JSON object per line",
                JobConfig.Builder::eventsFile);
        add(
                "standards.file",
                null,
                "file mode: the availability standards",
                JobConfig.Builder::standardsFile);
        add(
                "bindings.file",
                null,
                "file mode: the WeChat bindings",
                JobConfig.Builder::bindingsFile);
        add(
                "dlq.file",
                null,
                "file mode: where rejected lines are written, one JSON object per line",
                JobConfig.Builder::dlqFile);
        add(
                "jdbc.url",
                null,
                "embedded PostgreSQL under bin/run-local",
                "the results database: jdbc:postgresql:…, jdbc:mariadb:… or jdbc:mysql:…",
                JobConfig.Builder::jdbcUrl);
        add("jdbc.user", null, "the results database's user", JobConfig.Builder::jdbcUser);
        add(
                "jdbc.password",
                null,
                "the results database's password; prefer the environment variable "
                        + JobConfig.ENV_JDBC_PASSWORD,
                JobConfig.Builder::jdbcPassword);
        add(
                "week.zone",
                "Asia/Shanghai",
                "time zone of the calendar weeks (Monday 00:00 to Monday 00:00)",
                (b, v) -> b.weekZone(JobConfig.zone("week.zone", v)));
        add(
                "callback.timeout",
                "3 s",
                "a callback slower than this failed with TIMEOUT",
                (b, v) -> b.callbackTimeout(JobConfig.duration("callback.timeout", v)));
        add(
                "standard.default",
                "0.995",
                "the standard when none applies, not even developerId 0's; in (0, 1]",
                (b, v) -> b.standardDefault(JobConfig.decimal("standard.default", v)));
        add(
                "watermark.out-of-orderness",
                "5 min",
                "how far out of order events may arrive before they count as late",
                (b, v) ->
                        b.watermarkOutOfOrderness(
                                JobConfig.duration("watermark.out-of-orderness", v)));
        add(
                "watermark.idle-timeout",
                "1 min",
                "Kafka mode: a partition without records for this long stops holding the"
                        + " watermark back",
                (b, v) -> b.watermarkIdleTimeout(JobConfig.duration("watermark.idle-timeout", v)));
        add(
                "allowed-lateness",
                "1 d",
                "late events this much after their week closed still correct it; later ones are"
                        + " dead letters (LATE); at most the 8-week re-judge hold",
                (b, v) -> b.allowedLateness(JobConfig.duration("allowed-lateness", v)));
        add(
                "event.max-future",
                "1 h",
                "an event whose eventTime is further ahead of the wall clock when it is read is"
                        + " rejected FUTURE and never moves the watermark (a host with a wrong"
                        + " clock); 0 to 365 d",
                (b, v) -> b.eventMaxFuture(JobConfig.duration("event.max-future", v)));
        add(
                "pre-aggregation.max-entries",
                "20000",
                "(developerId, week) counts held in memory per subtask before a flush (4–7 KiB"
                        + " each with their latencies and hours: the default stays within about"
                        + " 150 MiB of heap per subtask)",
                (b, v) ->
                        b.preAggregationMaxEntries(
                                JobConfig.integer("pre-aggregation.max-entries", v)));
        add(
                "warning.enabled",
                "true",
                "early warnings and the week_to_date table: each running week evaluated at the"
                        + " local hour boundaries (docs/reference.md §10)",
                (b, v) -> b.warningEnabled(JobConfig.bool("warning.enabled", v)));
        add(
                "warning.fast-burn-rate",
                "14.4",
                "FAST_BURN: the last hour burns its share of the error budget at least this fast",
                (b, v) -> b.warningFastBurnRate(JobConfig.decimal("warning.fast-burn-rate", v)));
        add(
                "warning.slow-burn-rate",
                "6",
                "SLOW_BURN: the last six hours burn at least this fast",
                (b, v) -> b.warningSlowBurnRate(JobConfig.decimal("warning.slow-burn-rate", v)));
        add(
                "warning.min-callbacks",
                "100",
                "a window with fewer callbacks never burns (at least 1)",
                (b, v) -> b.warningMinCallbacks(JobConfig.integer("warning.min-callbacks", v)));
        add(
                "warning.max-age",
                "6 h",
                "a warning whose hour boundary is older than this when it is planned (a replay or"
                        + " backfill) is recorded STALE and not sent",
                (b, v) -> b.warningMaxAge(JobConfig.duration("warning.max-age", v)));
        add(
                "wechat.api-base-url",
                WechatOptions.DEFAULT_API_BASE_URL,
                "base URL of the WeChat Official Account API",
                JobConfig.Builder::wechatApiBaseUrl);
        add(
                "wechat.app-id",
                null,
                "the Official Account's app id; without it alerts are only logged and recorded as"
                        + " SKIPPED",
                JobConfig.Builder::wechatAppId);
        add(
                "wechat.app-secret",
                null,
                "the app secret; prefer the environment variable "
                        + JobConfig.ENV_WECHAT_APP_SECRET,
                JobConfig.Builder::wechatAppSecret);
        add(
                "wechat.template-id",
                null,
                "template of the breach alert",
                JobConfig.Builder::wechatTemplateId);
        add(
                "wechat.brand-template-id",
                null,
                "the template id",
                "template for bindings with accountType brand (chain brands)",
                JobConfig.Builder::wechatBrandTemplateId);
        add(
                "wechat.warning-template-id",
                null,
                "template of the early warning; without it warnings are recorded as SKIPPED",
                JobConfig.Builder::wechatWarningTemplateId);
        add(
                "wechat.url",
                null,
                "link in the message; {developerId} and {week} are replaced",
                JobConfig.Builder::wechatUrl);
        add(
                "wechat.send-rate",
                "20",
                "messages per second at most, for the whole job",
                (b, v) -> b.wechatSendRate(JobConfig.decimal("wechat.send-rate", v).doubleValue()));
        add(
                "wechat.data-keys",
                WechatOptions.DEFAULT_DATA_KEYS,
                "which template key carries which value, as field=key,… (fields: "
                        + String.join(", ", WechatOptions.FIELDS)
                        + ")",
                JobConfig.Builder::wechatDataKeys);
        add(
                "wechat.warning-data-keys",
                WechatOptions.DEFAULT_WARNING_DATA_KEYS,
                "the same for the warning template (fields: "
                        + String.join(", ", WechatOptions.WARNING_FIELDS)
                        + ")",
                JobConfig.Builder::wechatWarningDataKeys);
        add(
                "wechat.request-timeout",
                "5 s",
                "timeout of one WeChat request",
                (b, v) -> b.wechatRequestTimeout(JobConfig.duration("wechat.request-timeout", v)));
        add(
                "wechat.max-attempts",
                "3",
                "attempts per alert when a checkpoint commits; then the background retries take"
                        + " over",
                (b, v) -> b.wechatMaxAttempts(JobConfig.integer("wechat.max-attempts", v)));
        add(
                "wechat.retry-max-backoff",
                "5 min",
                "longest wait between two background retries of an alert",
                (b, v) ->
                        b.wechatRetryMaxBackoff(JobConfig.duration("wechat.retry-max-backoff", v)));
        add(
                "wechat.drain-timeout",
                "1 min",
                "file mode: how long the end of input waits for alerts still waiting for WeChat",
                (b, v) -> b.wechatDrainTimeout(JobConfig.duration("wechat.drain-timeout", v)));
    }

    private Flags() {}

    private static void add(
            String name,
            String defaultValue,
            String description,
            BiConsumer<JobConfig.Builder, String> setter) {
        add(name, defaultValue, null, description, setter);
    }

    private static void add(
            String name,
            String defaultValue,
            String shownDefault,
            String description,
            BiConsumer<JobConfig.Builder, String> setter) {
        FLAGS.add(new Flag(name, defaultValue, shownDefault, description, setter));
    }

    /** Every flag, in the order of the help. */
    public static List<Flag> all() {
        return Collections.unmodifiableList(FLAGS);
    }

    static Flag find(String name) {
        for (Flag flag : FLAGS) {
            if (flag.name().equals(name)) {
                return flag;
            }
        }
        return null;
    }

    static String names() {
        return FLAGS.stream().map(Flag::name).collect(Collectors.joining(", "));
    }

    static void applyDefaults(JobConfig.Builder builder) {
        for (Flag flag : FLAGS) {
            if (flag.defaultValue() != null) {
                flag.setter().accept(builder, flag.defaultValue());
            }
        }
    }

    static void apply(JobConfig.Builder builder, Map<String, String> values) {
        for (Map.Entry<String, String> value : values.entrySet()) {
            find(value.getKey()).setter().accept(builder, value.getValue());
        }
    }

    /** The flags as {@code --help} prints them. */
    public static String help() {
        StringBuilder help = new StringBuilder();
        for (Flag flag : FLAGS) {
            help.append("  --").append(flag.name());
            help.append("   (default: ").append(flag.defaultText()).append(")\n");
            help.append(wrap(flag.description(), "      ", 96));
        }
        return help.toString();
    }

    /** The flags as the README's table. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| flag | default | meaning |\n|---|---|---|\n");
        for (Flag flag : FLAGS) {
            String shown = flag.defaultText();
            table.append("| `--")
                    .append(flag.name())
                    .append("` | ")
                    .append(shown.equals("—") || flag.shownDefault() != null ? shown : code(shown))
                    .append(" | ")
                    .append(flag.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return table.toString();
    }

    private static String code(String value) {
        return "`" + value + "`";
    }

    private static String wrap(String text, String indent, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        return out.append(line).append('\n').toString();
    }
}
