package com.openplatform.availability.sinks;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Rows in PostgreSQL's {@code COPY … FROM STDIN} text format: values separated by tabs, a row per
 * line, {@code \N} for NULL, backslash escapes for backslashes, tabs and line breaks in strings.
 * Instants are written in UTC with their milliseconds, booleans as {@code t}/{@code f}.
 */
final class CopyText implements RowValues {
    private static final long DAY_MILLIS = 86_400_000L;

    private final StringBuilder text = new StringBuilder(1 << 16);
    private boolean rowStarted;

    /** Ends the current row. */
    void endRow() {
        text.append('\n');
        rowStarted = false;
    }

    /** The rows written since the last {@link #clear()}, as COPY's UTF-8 input. */
    byte[] bytes() {
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    void clear() {
        text.setLength(0);
        rowStarted = false;
    }

    private StringBuilder next() {
        if (rowStarted) {
            text.append('\t');
        }
        rowStarted = true;
        return text;
    }

    private void addNull() {
        next().append("\\N");
    }

    @Override
    public void addLong(long value) {
        next().append(value);
    }

    @Override
    public void addNullableLong(Long value) {
        if (value == null) {
            addNull();
        } else {
            addLong(value);
        }
    }

    @Override
    public void addDate(String isoDate) {
        addString(isoDate);
    }

    @Override
    public void addInstant(long epochMillis) {
        long day = Math.floorDiv(epochMillis, DAY_MILLIS);
        LocalDate date = LocalDate.ofEpochDay(day);
        if (date.getYear() < 1000 || date.getYear() > 9999) {
            next().append(Instant.ofEpochMilli(epochMillis));
            return;
        }
        int millisOfDay = (int) (epochMillis - day * DAY_MILLIS);
        StringBuilder out = next().append(date.getYear()).append('-');
        twoDigits(out, date.getMonthValue()).append('-');
        twoDigits(out, date.getDayOfMonth()).append(' ');
        twoDigits(out, millisOfDay / 3_600_000).append(':');
        twoDigits(out, millisOfDay / 60_000 % 60).append(':');
        twoDigits(out, millisOfDay / 1000 % 60).append('.');
        int millis = millisOfDay % 1000;
        out.append((char) ('0' + millis / 100))
                .append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10))
                .append("+00");
    }

    private static StringBuilder twoDigits(StringBuilder out, int value) {
        return out.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    @Override
    public void addNullableInstant(Long epochMillis) {
        if (epochMillis == null) {
            addNull();
        } else {
            addInstant(epochMillis);
        }
    }

    @Override
    public void addDecimal(BigDecimal value) {
        if (value == null) {
            addNull();
        } else {
            next().append(value.toPlainString());
        }
    }

    @Override
    public void addBoolean(boolean value) {
        next().append(value ? 't' : 'f');
    }

    @Override
    public void addString(String value) {
        if (value == null) {
            addNull();
            return;
        }
        StringBuilder out = next();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
    }
}
