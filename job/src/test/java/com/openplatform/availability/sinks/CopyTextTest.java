package com.openplatform.availability.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Rows in PostgreSQL's COPY text format, as {@link JdbcBatchWriter} stages them. */
class CopyTextTest {
    private static String text(CopyText copy) {
        return new String(copy.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void valuesAreSeparatedByTabsRowsByLinesAndNullsAreBackslashN() {
        CopyText copy = new CopyText();
        copy.addLong(-7);
        copy.addNullableLong(null);
        copy.addNullableLong(42L);
        copy.addBoolean(true);
        copy.endRow();
        copy.addBoolean(false);
        copy.addDecimal(null);
        copy.addString(null);
        copy.addNullableInstant(null);
        copy.endRow();

        assertEquals("-7\t\\N\t42\tt\nf\t\\N\t\\N\t\\N\n", text(copy));
    }

    @Test
    void stringsEscapeBackslashesTabsAndLineBreaksAndKeepOtherCharacters() {
        CopyText copy = new CopyText();
        copy.addString("a\\b\tc\nd\re \"订单\" \\N");
        copy.endRow();

        assertEquals("a\\\\b\\tc\\nd\\re \"订单\" \\\\N\n", text(copy));
    }

    @Test
    void decimalsAreWrittenPlainWithoutExponent() {
        CopyText copy = new CopyText();
        copy.addDecimal(new BigDecimal("1E-10"));
        copy.addDecimal(new BigDecimal("0.9950000000"));

        assertEquals("0.0000000001\t0.9950000000", text(copy));
    }

    @Test
    void instantsAreUtcWithMillisecondsAcrossYearsAndBeforeTheEpoch() {
        long[] instants = {
            0L,
            -1L,
            Instant.parse("2026-11-01T16:00:00Z").toEpochMilli(),
            Instant.parse("2028-02-29T23:59:59.999Z").toEpochMilli(),
            Instant.parse("1969-12-31T08:05:03.020Z").toEpochMilli()
        };
        CopyText copy = new CopyText();
        for (long instant : instants) {
            copy.addInstant(instant);
            copy.endRow();
        }

        assertEquals(
                "1970-01-01 00:00:00.000+00\n"
                        + "1969-12-31 23:59:59.999+00\n"
                        + "2026-11-01 16:00:00.000+00\n"
                        + "2028-02-29 23:59:59.999+00\n"
                        + "1969-12-31 08:05:03.020+00\n",
                text(copy));
    }

    @Test
    void instantsOutsideFourDigitYearsAreWrittenInIsoForm() {
        CopyText copy = new CopyText();
        copy.addInstant(Instant.parse("+10000-01-01T00:00:00Z").toEpochMilli());

        assertEquals("+10000-01-01T00:00:00Z", text(copy));
    }

    @Test
    void clearStartsAFreshRow() {
        CopyText copy = new CopyText();
        copy.addLong(1);
        copy.clear();
        copy.addLong(2);

        assertEquals("2", text(copy));
    }
}
