package com.openplatform.availability.records;

import static com.openplatform.availability.records.RecordJson.DEVELOPER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.testing.TestData;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CallbackRecordReaderTest {
    private static final Instant NOW = Instant.parse("2026-11-18T02:00:00Z");
    private static final Duration MAX_FUTURE = Duration.ofHours(1);

    private final CallbackRecordReader reader =
            new CallbackRecordReader(MAX_FUTURE, Clock.fixed(NOW, ZoneOffset.UTC));

    private static byte[] eventAt(Instant time) {
        return TestData.event(DEVELOPER, time.toEpochMilli()).bytes();
    }

    @Test
    void eventUpToMaxFutureAheadOfTheWallClockIsAccepted() {
        CallbackRecord record = reader.read(eventAt(NOW.plus(MAX_FUTURE)));

        assertFalse(record.isRejected(), record.getRejectDetail());
        assertEquals(NOW.plus(MAX_FUTURE).toEpochMilli(), record.getEvent().getEventTime());
    }

    @Test
    void eventOneMillisecondFurtherIsRejectedAsFutureWithTheRawBytes() {
        byte[] raw = eventAt(NOW.plus(MAX_FUTURE).plusMillis(1));

        CallbackRecord record = reader.read(raw);

        assertTrue(record.isRejected());
        assertEquals(RejectReason.FUTURE, record.getRejectReason());
        assertArrayEquals(raw, record.getRaw());
        assertEquals(raw.length, record.getSize());
        assertTrue(
                record.getRejectDetail().contains("2026-11-18T03:00:00.001Z")
                        && record.getRejectDetail().contains("--event.max-future")
                        && record.getRejectDetail().contains(NOW.toString()),
                record.getRejectDetail());
    }

    @Test
    void farFutureEventFromAHostWithAWrongClockIsRejected() {
        CallbackRecord record = reader.read(eventAt(Instant.parse("2100-01-01T00:00:00Z")));

        assertEquals(RejectReason.FUTURE, record.getRejectReason());
    }

    @Test
    void maxFutureOfZeroAcceptsTheWallClockItself() {
        CallbackRecordReader strict =
                new CallbackRecordReader(Duration.ZERO, Clock.fixed(NOW, ZoneOffset.UTC));

        assertFalse(strict.read(eventAt(NOW)).isRejected());
        assertEquals(
                RejectReason.FUTURE, strict.read(eventAt(NOW.plusMillis(1))).getRejectReason());
    }

    @Test
    void malformedRecordKeepsItsOwnReason() {
        assertEquals(
                RejectReason.INVALID_JSON, reader.read(TestData.bytes("nope")).getRejectReason());
    }

    @Test
    void lineCutByTheFileReaderIsTooLargeWithItsWholeSize() {
        CallbackRecord record = CallbackRecord.tooLarge(new byte[10], 50_000_000L);

        assertEquals(RejectReason.TOO_LARGE, record.getRejectReason());
        assertEquals(50_000_000L, record.getSize());
        assertTrue(record.getRejectDetail().contains("50000000 bytes"), record.getRejectDetail());
    }
}
