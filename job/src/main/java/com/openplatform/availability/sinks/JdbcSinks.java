package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JdbcOptions;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.WeeklyResult;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * The JDBC sinks of the result tables: batched, idempotent upserts, flushed before every checkpoint
 * completes, so a restart replays into the same rows (exactly-once results).
 */
public final class JdbcSinks {
    private static final JdbcExecutionOptions EXECUTION =
            JdbcExecutionOptions.builder()
                    .withBatchSize(500)
                    .withBatchIntervalMs(200)
                    .withMaxRetries(3)
                    .build();

    private JdbcSinks() {}

    public static JdbcSink<WeeklyResult> weeklyAvailability(JdbcOptions jdbc) {
        return JdbcSink.<WeeklyResult>builder()
                .withQueryStatement(
                        ResultStatements.upsertWeeklyAvailability(jdbc.dialect()),
                        ResultStatements::bindWeekly)
                .withExecutionOptions(EXECUTION)
                .buildAtLeastOnce(connection(jdbc));
    }

    /** Records alerts in the ledger as they come (SKIPPED or NO_RECIPIENT), once each. */
    public static JdbcSink<AlertRequest> alertLedger(JdbcOptions jdbc) {
        return JdbcSink.<AlertRequest>builder()
                .withQueryStatement(
                        ResultStatements.insertAlert(jdbc.dialect()), ResultStatements::bindAlert)
                .withExecutionOptions(EXECUTION)
                .buildAtLeastOnce(connection(jdbc));
    }

    static JdbcConnectionOptions connection(JdbcOptions jdbc) {
        JdbcConnectionOptions.JdbcConnectionOptionsBuilder builder =
                new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                        .withUrl(jdbc.connectionUrl())
                        .withDriverName(jdbc.driverClass());
        if (jdbc.user() != null) {
            builder.withUsername(jdbc.user());
        }
        if (jdbc.password() != null) {
            builder.withPassword(jdbc.password());
        }
        return builder.build();
    }
}
