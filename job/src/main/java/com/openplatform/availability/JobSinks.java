package com.openplatform.availability;

import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.DeadLetter;
import com.openplatform.availability.records.WeekToDateRow;
import com.openplatform.availability.records.WeeklyResult;
import com.openplatform.availability.sinks.DeadLetterFileSink;
import com.openplatform.availability.sinks.DeadLetterKafkaSink;
import com.openplatform.availability.sinks.JdbcSinks;
import com.openplatform.availability.wechat.WechatAlertSink;
import org.apache.flink.api.connector.sink2.Sink;

/** The job's outputs: weekly results, running weeks, alerts and warnings, and dead letters. */
public record JobSinks(
        Sink<WeeklyResult> weeklyAvailability,
        Sink<WeekToDateRow> weekToDate,
        Sink<AlertRequest> alerts,
        Sink<DeadLetter> deadLetters) {

    /**
     * The production sinks for {@code config}: the JDBC tables, the WeChat alerts (only the ledger
     * when no WeChat app is configured) and the dead-letter topic or file.
     */
    public static JobSinks of(JobConfig config) {
        return new JobSinks(
                JdbcSinks.weeklyAvailability(config.jdbc()),
                JdbcSinks.weekToDate(config.jdbc()),
                config.wechat().isConfigured()
                        ? new WechatAlertSink(config.jdbc(), config.wechat(), !config.isKafkaMode())
                        : JdbcSinks.alertLedger(config.jdbc()),
                config.isKafkaMode()
                        ? DeadLetterKafkaSink.create(config)
                        : new DeadLetterFileSink(config.dlqFile()));
    }
}
