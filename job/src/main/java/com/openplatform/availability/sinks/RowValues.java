package com.openplatform.availability.sinks;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.util.Calendar;
import java.util.TimeZone;

/**
 * A row's values in the order of its statement's columns: a prepared statement's parameters ({@link
 * #of}), or a line of PostgreSQL's {@code COPY} text ({@link CopyText}). Binders write a record
 * once for both.
 */
public interface RowValues {
    void addLong(long value) throws SQLException;

    /** A number, or SQL NULL for null. */
    void addNullableLong(Long value) throws SQLException;

    /** A {@code DATE} from its ISO text ({@code 2026-11-02}). */
    void addDate(String isoDate) throws SQLException;

    /** A {@code TIMESTAMP}/{@code TIMESTAMPTZ} from an instant. */
    void addInstant(long epochMillis) throws SQLException;

    /** An instant, or SQL NULL for null. */
    void addNullableInstant(Long epochMillis) throws SQLException;

    /** A decimal, or SQL NULL for null. */
    void addDecimal(BigDecimal value) throws SQLException;

    void addBoolean(boolean value) throws SQLException;

    /** A string, or SQL NULL for null. */
    void addString(String value) throws SQLException;

    /** The statement's parameters, from the first. */
    static RowValues of(PreparedStatement statement) {
        return new Parameters(statement);
    }

    /** Sets a prepared statement's parameters one after the other. */
    final class Parameters implements RowValues {
        private final PreparedStatement statement;
        private int index;

        private Parameters(PreparedStatement statement) {
            this.statement = statement;
        }

        @Override
        public void addLong(long value) throws SQLException {
            statement.setLong(++index, value);
        }

        @Override
        public void addNullableLong(Long value) throws SQLException {
            statement.setObject(++index, value, Types.BIGINT);
        }

        @Override
        public void addDate(String isoDate) throws SQLException {
            statement.setObject(++index, LocalDate.parse(isoDate));
        }

        @Override
        public void addInstant(long epochMillis) throws SQLException {
            statement.setTimestamp(++index, new Timestamp(epochMillis), utc());
        }

        /** SQL NULL for null: MariaDB's driver takes no null Timestamp. */
        @Override
        public void addNullableInstant(Long epochMillis) throws SQLException {
            if (epochMillis == null) {
                statement.setNull(++index, Types.TIMESTAMP);
            } else {
                addInstant(epochMillis);
            }
        }

        @Override
        public void addDecimal(BigDecimal value) throws SQLException {
            statement.setBigDecimal(++index, value);
        }

        @Override
        public void addBoolean(boolean value) throws SQLException {
            statement.setBoolean(++index, value);
        }

        @Override
        public void addString(String value) throws SQLException {
            if (value == null) {
                statement.setNull(++index, Types.VARCHAR);
            } else {
                statement.setString(++index, value);
            }
        }

        private static Calendar utc() {
            return Calendar.getInstance(TimeZone.getTimeZone("UTC"));
        }
    }
}
