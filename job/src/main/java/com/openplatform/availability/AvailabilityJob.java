package com.openplatform.availability;

import com.openplatform.availability.config.ConfigException;
import com.openplatform.availability.config.Flags;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.functions.DeadLetters;
import com.openplatform.availability.functions.EvaluateWeekToDate;
import com.openplatform.availability.functions.JudgeWeeklyAvailability;
import com.openplatform.availability.functions.MergeWeeklyCounts;
import com.openplatform.availability.functions.ParseUpdates;
import com.openplatform.availability.functions.PlanAlerts;
import com.openplatform.availability.functions.PlanWarnings;
import com.openplatform.availability.functions.RejectInvalidAndLateEvents;
import com.openplatform.availability.functions.SkipDelivery;
import com.openplatform.availability.functions.WeeklyPreAggregator;
import com.openplatform.availability.io.KafkaInputs;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.CallbackRecord;
import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.InWeekCounts;
import com.openplatform.availability.records.RawRecord;
import com.openplatform.availability.records.StandardUpdate;
import com.openplatform.availability.records.StandardUpdateParser;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.records.WechatBindingParser;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import com.openplatform.availability.sinks.SchemaMigrations;
import com.openplatform.availability.time.CalendarWeekWindows;
import com.openplatform.availability.time.CalendarWeeks;
import com.openplatform.availability.time.WeekAlignedWatermarks;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The availability-alert job: weekly callback availability per developerId, judged against
 * per-developer standards, written to JDBC tables, with alerts for the weeks that fell short.
 */
public final class AvailabilityJob {
    private static final Logger LOG = LoggerFactory.getLogger(AvailabilityJob.class);

    public static final String JOB_NAME = "callback-availability";

    /**
     * Update inputs carry no event time: they hold the judge's and the alert planner's watermark
     * until what they held at the start is read, bounded ones until their end, Kafka ones until
     * each partition's backlog is read (their reader says so, {@code io.CatchUpReader}), and then
     * they are idle, so they never stall the weekly windows.
     */
    private static final WatermarkStrategy<RawRecord> UPDATE_WATERMARKS =
            WatermarkStrategy.noWatermarks();

    private AvailabilityJob() {}

    public static void main(String[] args) throws Exception {
        if (JobConfig.wantsHelp(args)) {
            System.out.println("Program arguments of the " + JOB_NAME + " job:");
            System.out.print(Flags.help());
            return;
        }
        JobConfig config;
        try {
            config = JobConfig.fromArgs(args, System.getenv());
        } catch (ConfigException e) {
            System.err.println(JOB_NAME + ": " + e.getMessage());
            throw e;
        }
        LOG.info("Starting with {}", config);
        if (config.isKafkaMode()) {
            KafkaInputs.requireTopics(config);
        }
        SchemaMigrations.migrate(config.jdbc());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        defineWorkflow(env, config, JobSources.of(config), JobSinks.of(config));
        env.execute(JOB_NAME);
    }

    /** Builds the pipeline from the given inputs to the given outputs. */
    public static void defineWorkflow(
            StreamExecutionEnvironment env, JobConfig config, JobSources sources, JobSinks sinks) {
        Configuration pipeline = new Configuration();
        pipeline.set(PipelineOptions.OBJECT_REUSE, true);
        pipeline.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(pipeline);
        CalendarWeeks weeks = new CalendarWeeks(config.weekZone());

        SingleOutputStreamOperator<CallbackEvent> events =
                env.fromSource(
                                sources.events(),
                                eventWatermarks(config, sources),
                                "Callback events")
                        .uid(Uids.EVENTS_SOURCE)
                        .transform(
                                "Reject invalid and late events",
                                TypeInformation.of(CallbackEvent.class),
                                new RejectInvalidAndLateEvents(weeks, config.allowedLateness()))
                        .uid(Uids.REJECT_INVALID_AND_LATE);

        boolean inWeek = config.warning().enabled();
        SingleOutputStreamOperator<WeeklyCounts> partialCounts =
                events.transform(
                                "Pre-aggregate weekly counts",
                                TypeInformation.of(WeeklyCounts.class),
                                new WeeklyPreAggregator(
                                        weeks,
                                        config.callbackTimeout(),
                                        config.preAggregationMaxEntries(),
                                        inWeek))
                        .uid(Uids.PRE_AGGREGATE);
        DataStream<WeeklyCounts> weeklyCounts =
                partialCounts
                        .keyBy(WeeklyCounts::getDeveloperId)
                        .window(CalendarWeekWindows.in(config.weekZone()))
                        .allowedLateness(config.allowedLateness())
                        .aggregate(new MergeWeeklyCounts())
                        .name("Weekly counts")
                        .uid(Uids.WEEKLY_COUNTS);

        SingleOutputStreamOperator<StandardUpdate> standards =
                env.fromSource(sources.standards(), UPDATE_WATERMARKS, "Availability standards")
                        .uid(Uids.STANDARDS_SOURCE)
                        .process(
                                new ParseUpdates<>(
                                        DeadLetters.STANDARDS,
                                        new StandardUpdateParser()::parse,
                                        StandardUpdate.class))
                        .name("Parse standards")
                        .uid(Uids.PARSE_STANDARDS);

        SingleOutputStreamOperator<WechatBinding> bindings =
                env.fromSource(sources.bindings(), UPDATE_WATERMARKS, "WeChat bindings")
                        .uid(Uids.BINDINGS_SOURCE)
                        .process(
                                new ParseUpdates<>(
                                        DeadLetters.BINDINGS,
                                        new WechatBindingParser()::parse,
                                        WechatBinding.class))
                        .name("Parse bindings")
                        .uid(Uids.PARSE_BINDINGS);

        SingleOutputStreamOperator<WeeklyResult> results =
                weeklyCounts
                        .keyBy(WeeklyCounts::getDeveloperId)
                        .connect(standards.broadcast())
                        .transform(
                                "Judge weekly availability",
                                TypeInformation.of(WeeklyResult.class),
                                new JudgeWeeklyAvailability.Operator(
                                        new JudgeWeeklyAvailability(
                                                weeks,
                                                config.standardDefault(),
                                                JobConfig.HOLD_WEEKS)))
                        .uid(Uids.JUDGE);
        results.sinkTo(sinks.weeklyAvailability())
                .name("weekly_availability")
                .uid(Uids.WEEKLY_AVAILABILITY_SINK);

        DataStream<AlertRequest> alerts =
                results.keyBy(WeeklyResult::developerId)
                        .connect(bindings.keyBy(WechatBinding::getDeveloperId))
                        .transform(
                                "Plan alerts",
                                TypeInformation.of(AlertRequest.class),
                                new PlanAlerts.Operator(
                                        new PlanAlerts(weeks, JobConfig.HOLD_WEEKS)))
                        .uid(Uids.PLAN_ALERTS);
        if (inWeek) {
            SingleOutputStreamOperator<WeekToDateRow> weekToDate =
                    partialCounts
                            .getSideOutput(WeeklyPreAggregator.IN_WEEK)
                            .keyBy(InWeekCounts::getDeveloperId)
                            .connect(standards.broadcast())
                            .transform(
                                    "Evaluate week to date",
                                    TypeInformation.of(WeekToDateRow.class),
                                    new EvaluateWeekToDate(
                                            weeks,
                                            config.standardDefault(),
                                            config.warning().rules()))
                            .uid(Uids.EVALUATE_WEEK_TO_DATE);
            weekToDate.sinkTo(sinks.weekToDate()).name("week_to_date").uid(Uids.WEEK_TO_DATE_SINK);
            alerts =
                    alerts.union(
                            weekToDate
                                    .getSideOutput(EvaluateWeekToDate.WARNINGS)
                                    .keyBy(AlertRequest::getDeveloperId)
                                    .connect(bindings.keyBy(WechatBinding::getDeveloperId))
                                    .process(
                                            new PlanWarnings(
                                                    weeks,
                                                    config.warning().maxAge(),
                                                    config.wechat().sendsWarnings(),
                                                    Clock.systemUTC()))
                                    .name("Plan warnings")
                                    .uid(Uids.PLAN_WARNINGS));
        }
        if (!config.wechat().isConfigured()) {
            alerts = alerts.map(new SkipDelivery()).name("Skip delivery").uid(Uids.SKIP_DELIVERY);
        }
        DataStreamSink<AlertRequest> alertSink =
                alerts.sinkTo(sinks.alerts()).name("alert_delivery").uid(Uids.ALERT_SINK);
        if (config.wechat().isConfigured()) {
            // A task of its own: waits for WeChat never sit on the counting path.
            alertSink.disableChaining();
        }

        DataStream<DeadLetter> deadLetters =
                events.getSideOutput(DeadLetters.TAG)
                        .union(
                                standards.getSideOutput(DeadLetters.TAG),
                                bindings.getSideOutput(DeadLetters.TAG));
        // One writer: dead letters are few, and the file sink writes a single file.
        deadLetters
                .sinkTo(sinks.deadLetters())
                .name("Dead letters")
                .uid(Uids.DEAD_LETTER_SINK)
                .setParallelism(1);
    }

    private static WatermarkStrategy<CallbackRecord> eventWatermarks(
            JobConfig config, JobSources sources) {
        ZoneId zone = config.weekZone();
        Duration outOfOrderness = config.watermarkOutOfOrderness();
        Duration lateness = config.allowedLateness();
        WatermarkStrategy<CallbackRecord> strategy =
                WatermarkStrategy.<CallbackRecord>forGenerator(
                                context ->
                                        new WeekAlignedWatermarks<>(
                                                new CalendarWeeks(zone), outOfOrderness, lateness))
                        // Rejected records carry no event time and never move the watermark.
                        .withTimestampAssigner(
                                (record, previous) ->
                                        record.isRejected()
                                                ? Long.MIN_VALUE
                                                : record.getEvent().getEventTime());
        return sources.bounded() ? strategy : strategy.withIdleness(config.watermarkIdleTimeout());
    }
}
