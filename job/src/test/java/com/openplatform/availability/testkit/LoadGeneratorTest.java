package com.openplatform.availability.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.openplatform.availability.records.CallbackEvent;
import com.openplatform.availability.records.CallbackEventParser;
import com.openplatform.availability.records.CallbackRecord;
import com.openplatform.availability.records.RejectReason;
import com.openplatform.availability.testkit.LoadGenerator.Generated;
import com.openplatform.availability.testkit.LoadGenerator.Kind;
import com.openplatform.availability.time.CalendarWeeks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadGeneratorTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @TempDir Path dir;

    private static LoadGenerator.Options options(long events) {
        return new LoadGenerator.Options().file("unused").events(events);
    }

    @Test
    void theSameSeedGivesTheSameRecordsAndAnotherSeedOthers() throws Exception {
        byte[] first = digest(options(100_000).seed(7));
        byte[] again = digest(options(100_000).seed(7));
        byte[] other = digest(options(100_000).seed(8));
        assertArrayEquals(first, again);
        assertFalse(java.util.Arrays.equals(first, other));
    }

    @Test
    void sharesOfMalformedLateAndTooLateAreWithinTolerance() {
        long n = 1_000_000;
        Map<Kind, Long> all = new EnumMap<>(Kind.class);
        Map<Kind, Long> early = new EnumMap<>(Kind.class);
        List<Generated> records = new java.util.ArrayList<>();
        // 200 k events a week: five weeks.
        LoadGenerator generator = new LoadGenerator(options(n).eventsPerWeek(200_000));
        long lastEventTime = 0;
        for (Generated record; (record = generator.next()) != null; ) {
            all.merge(record.kind(), 1L, Long::sum);
            lastEventTime = Math.max(lastEventTime, record.eventTime());
            if (record.kind() != Kind.MALFORMED) {
                records.add(new Generated(record.kind(), 0, record.eventTime(), null));
            }
        }
        assertEquals(n, all.values().stream().mapToLong(Long::longValue).sum());
        assertWithin(0.002 * n, all.get(Kind.MALFORMED), 0.10);
        // A bounded stream ends before the late events of its last days arrive: count the shares
        // among the events of all but the last ten days, which had time to arrive.
        long cutoff = lastEventTime - Duration.ofDays(10).toMillis();
        long valid = 0;
        for (Generated record : records) {
            if (record.eventTime() < cutoff) {
                valid++;
                early.merge(record.kind(), 1L, Long::sum);
            }
        }
        assertTrue(valid > 600_000, () -> "valid early events: " + early);
        assertWithin(0.003 * valid, early.get(Kind.LATE), 0.10);
        assertWithin(0.001 * valid, early.get(Kind.TOO_LATE), 0.15);
    }

    /**
     * Replays the stream through the job's rule on one partition: the watermark is the largest
     * event time seen before a record, minus the out-of-orderness, minus 1; an event whose week's
     * window fired (end - 1 ≤ watermark) is late, and too late once end - 1 + lateness ≤ watermark.
     * Every record is what the generator says it is, and the job's parser agrees on validity.
     */
    @Test
    void recordsAreOnTimeLateTooLateOrMalformedByTheJobsOwnRules() {
        CalendarWeeks weeks = new CalendarWeeks(SHANGHAI);
        CallbackEventParser parser = new CallbackEventParser();
        long outOfOrderness = Duration.ofMinutes(5).toMillis();
        long lateness = Duration.ofDays(1).toMillis();
        LoadGenerator generator =
                new LoadGenerator(options(600_000).eventsPerWeek(200_000).seed(3));
        long maxSeen = Long.MIN_VALUE;
        Set<RejectReason> reasons = EnumSet.noneOf(RejectReason.class);
        Map<Kind, Long> kinds = new EnumMap<>(Kind.class);
        for (Generated next; (next = generator.next()) != null; ) {
            Generated record = next;
            kinds.merge(record.kind(), 1L, Long::sum);
            CallbackRecord parsed = parser.parseRecord(record.value());
            if (record.kind() == Kind.MALFORMED) {
                assertTrue(parsed.isRejected(), () -> "accepted " + new String(record.value()));
                reasons.add(parsed.getRejectReason());
                continue;
            }
            assertFalse(parsed.isRejected(), parsed::getRejectDetail);
            CallbackEvent event = parsed.getEvent();
            assertEquals(record.developerId(), event.getDeveloperId());
            assertEquals(record.eventTime(), event.getEventTime());
            long watermark =
                    maxSeen == Long.MIN_VALUE ? Long.MIN_VALUE : maxSeen - outOfOrderness - 1;
            long windowEnd = weeks.endOf(event.getEventTime()) - 1;
            Kind actual =
                    windowEnd + lateness <= watermark
                            ? Kind.TOO_LATE
                            : windowEnd <= watermark ? Kind.LATE : Kind.ON_TIME;
            assertEquals(record.kind(), actual, () -> "event " + event);
            maxSeen = Math.max(maxSeen, event.getEventTime());
        }
        assertTrue(kinds.get(Kind.LATE) > 1000, () -> "late: " + kinds);
        assertTrue(kinds.get(Kind.TOO_LATE) > 300, () -> "too late: " + kinds);
        assertTrue(
                reasons.containsAll(
                        EnumSet.of(
                                RejectReason.INVALID_JSON,
                                RejectReason.INVALID_FIELD,
                                RejectReason.MISSING_FIELD)),
                reasons::toString);
    }

    @Test
    void volumeIsSkewedTowardsTheFirstDevelopers() {
        long[] perRank = new long[1000];
        LoadGenerator generator = new LoadGenerator(options(300_000).malformedRatio(0));
        for (Generated record; (record = generator.next()) != null; ) {
            perRank[(int) (record.developerId() - LoadGenerator.developerId(0))]++;
        }
        // Zipf with exponent 1 over 1000 developers: the first has 1/H(1000) ≈ 13 %.
        assertWithin(300_000 * 0.1336, perRank[0], 0.05);
        assertTrue(perRank[0] > 5 * perRank[9] && perRank[9] > 5 * perRank[99]);
        assertTrue(perRank[999] > 0);
    }

    @Test
    void memoryIsTheReorderingBufferAndDoesNotGrowWithTheNumberOfEvents() {
        // 200 k events per week: the buffer reaches its steady state after about two weeks.
        long atFiveWeeks = maxBuffered(1_000_000);
        long atFifteenWeeks = maxBuffered(3_000_000);
        assertTrue(
                atFifteenWeeks < atFiveWeeks * 1.25,
                () -> "buffer peak " + atFiveWeeks + " then " + atFifteenWeeks);
        // About the events of the longest delay (≈ 9 days × the late shares) plus 5 minutes'.
        assertTrue(atFifteenWeeks < 5_000, () -> "buffer peak " + atFifteenWeeks);
    }

    @Test
    void anUnboundedStreamStartsAtOnce() {
        LoadGenerator generator = new LoadGenerator(new LoadGenerator.Options().file("x"));
        for (int i = 0; i < 1000; i++) {
            assertNotNull(generator.next());
        }
        // Five minutes of out-of-orderness at 2 M events a week: about 1000 events.
        assertTrue(generator.maxBuffered() < 2_000, () -> "buffered " + generator.maxBuffered());
    }

    @Test
    void theBufferCapHoldsAndTheOrderStaysByArrival() {
        LoadGenerator generator =
                new LoadGenerator(options(200_000).eventsPerWeek(200_000).maxBuffered(50));
        while (generator.next() != null) {
            // drain
        }
        assertTrue(generator.maxBuffered() <= 50);
    }

    @Test
    void writesAFileOfExactlyTheRequestedRecordsPacedByTheRate() throws Exception {
        Path file = dir.resolve("events.ndjson");
        LoadGenerator.Options options =
                LoadGenerator.Options.parse(
                        "--file",
                        file.toString(),
                        "--events",
                        "1500",
                        "--rate",
                        "3000",
                        "--seed",
                        "5",
                        "--developers",
                        "20",
                        "--start",
                        "2026-03-02");
        LoadGenerator.Summary summary = LoadGenerator.run(options, null);
        List<String> lines = Files.readAllLines(file);
        assertEquals(1500, lines.size());
        assertEquals(1500, summary.records());
        assertTrue(summary.seconds() >= 0.4, () -> "took " + summary.seconds() + " s");
        // 3000/s at a clock speed-up of 1: event time advances as the wall clock does.
        assertEquals(3000L * 604_800, options.eventsPerWeek());
    }

    @Test
    void clockSpeedupMakesWeeksPassInMinutes() {
        LoadGenerator.Options options =
                LoadGenerator.Options.parse(
                        "--bootstrap-servers",
                        "127.0.0.1:9092",
                        "--topic",
                        "callback-events",
                        "--events",
                        "unbounded",
                        "--rate",
                        "1000",
                        "--clock-speedup",
                        "10080",
                        "--partitions",
                        "6");
        // A week every 604800 / 10080 = 60 s of wall time, at 1000 events a second.
        assertEquals(60_000, options.eventsPerWeek());
        assertEquals(Long.MAX_VALUE, options.events());
    }

    @Test
    void theStreamStartsAtTheStartDateOrDateTime() {
        assertEquals(
                java.time.LocalDate.of(2026, 11, 5)
                        .atStartOfDay(SHANGHAI)
                        .toInstant()
                        .toEpochMilli(),
                firstEventTime("--start", "2026-11-05"));
        assertEquals(
                java.time.OffsetDateTime.parse("2026-11-05T12:00:00+08:00")
                        .toInstant()
                        .toEpochMilli(),
                firstEventTime("--start", "2026-11-05T12:00:00+08:00"));
    }

    private static long firstEventTime(String... flags) {
        List<String> args = new java.util.ArrayList<>(List.of("--file", "x", "--seed", "1"));
        args.addAll(List.of(flags));
        LoadGenerator generator =
                new LoadGenerator(
                        LoadGenerator.Options.parse(args.toArray(new String[0])).malformedRatio(0));
        long first = Long.MAX_VALUE;
        for (int i = 0; i < 1000; i++) {
            first = Math.min(first, generator.next().eventTime());
        }
        return first;
    }

    @Test
    void badFlagsAreRefusedWithAReason() {
        assertMessage("not a date", "--file", "x", "--start", "2026-11-31");
        assertMessage("date-time", "--file", "x", "--start", "2026-11-05T12:00");
        assertMessage("exclude", "--file", "x", "--bootstrap-servers", "h:1", "--topic", "t");
        assertMessage("--topic", "--bootstrap-servers", "h:1");
        assertMessage("unknown flag --nope", "--file", "x", "--nope", "1");
        assertMessage("give an output", "--events", "10");
        assertMessage("--rate", "--file", "x", "--rate", "-1");
        assertMessage("twice", "--file", "x", "--seed", "1", "--seed", "2");
        assertMessage("for Kafka", "--file", "x", "--partitions", "3");
        assertMessage("duration", "--file", "x", "--allowed-lateness", "soon");
    }

    @Test
    void helpNamesEveryFlagThePlaygroundUses() {
        assertTrue(LoadGenerator.Options.parse("--help").help);
        String usage = LoadGenerator.usage();
        for (String flag :
                List.of(
                        "--bootstrap-servers",
                        "--topic",
                        "--file",
                        "--events",
                        "--rate",
                        "--seed",
                        "--developers",
                        "--start",
                        "--clock-speedup",
                        "--partitions")) {
            assertTrue(usage.contains(flag + " "), flag);
        }
    }

    private static void assertMessage(String expected, String... args) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> LoadGenerator.Options.parse(args));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static long maxBuffered(long events) {
        LoadGenerator generator =
                new LoadGenerator(
                        options(events).eventsPerWeek(200_000).start(LocalDate.of(2026, 1, 5)));
        while (generator.next() != null) {
            // drain
        }
        return generator.maxBuffered();
    }

    private static byte[] digest(LoadGenerator.Options options) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        LoadGenerator generator = new LoadGenerator(options);
        for (Generated record; (record = generator.next()) != null; ) {
            sha.update(record.value());
            sha.update((byte) '\n');
        }
        return sha.digest();
    }

    private static void assertWithin(double expected, long actual, double relative) {
        assertTrue(
                Math.abs(actual - expected) <= expected * relative,
                () -> "expected " + expected + " ± " + (relative * 100) + " %, found " + actual);
    }
}
