package com.openplatform.availability.testkit;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A streaming load generator of callback events (docs/reference.md §3) for Kafka or an NDJSON file:
 * many developerIds with Zipf-skewed volume and their own failure mixes, out-of-order, late
 * (correcting) and too-late events, and a small share of malformed records — in arrival order,
 * reproducible by seed, in constant memory whatever the number of events.
 *
 * <p>Events are generated in event-time order; each gets an arrival time (a delay within the
 * watermark's out-of-orderness, or after its week closed: within the allowed lateness, or beyond
 * it) and waits in a bounded reordering buffer until the stream reaches its arrival time. Memory is
 * therefore proportional to the events of the longest delay (about nine event-time days), never to
 * the number of events. Late and too-late are meant for the job's lateness rules ({@code
 * --out-of-orderness}, {@code --allowed-lateness}, {@code --zone} should match the job's flags) on
 * a stream with events at least every few minutes of event time.
 *
 * <p>Event time: with {@code --rate R > 0} it advances {@code --clock-speedup K} times the wall
 * time ({@code R * 604800 / K} events per event-time week), so a playground closes a week every
 * {@code 604800 / K} seconds; with {@code --rate 0} (as fast as possible) by {@code
 * --events-per-week}. The output depends on the flags and the seed only, not on the speed.
 *
 * <pre>
 * java … LoadGenerator --bootstrap-servers 127.0.0.1:9092 --topic callback-events \
 *     --events 20000000 --rate 0 --seed 42 --developers 2000 --start 2026-11-02
 * java … LoadGenerator --file events.ndjson --events 1000000
 * </pre>
 */
public final class LoadGenerator {
    static final long WEEK_MILLIS = Duration.ofDays(7).toMillis();

    /**
     * How far past the rule's boundary late and too-late events arrive: watermarks are per Kafka
     * partition and a source reads its partitions in batches, so the watermark it forwards (their
     * minimum) lags the newest event by a few hours of event time on a sparse topic.
     */
    private static final long MARGIN_LATE = Duration.ofHours(2).toMillis();

    private static final long MARGIN_TOO_LATE = Duration.ofHours(6).toMillis();

    private static final String[] CALLBACK_TYPES = {
        "order.push", "delivery.status", "order.cancel", "shop.notify", "order.refund"
    };

    /** Cumulative shares of {@link #CALLBACK_TYPES}. */
    private static final double[] CALLBACK_TYPE_SHARES = {0.40, 0.70, 0.82, 0.92, 1.0};

    private static final int[] HTTP_ERRORS = {500, 502, 503, 504, 404, 429};

    /**
     * Failure profiles: {failure rate, share CONNECT_ERROR, TIMEOUT, HTTP_ERROR, BAD_RESPONSE}.
     * Some providers meet the default 0.995 standard comfortably, some barely, some miss it.
     */
    private static final double[][] PROFILES = {
        {0.0005, 0.25, 0.25, 0.25, 0.25}, // healthy
        {0.0, 0, 0, 0, 0}, // perfect
        {0.004, 0.2, 0.4, 0.3, 0.1}, // borderline
        {0.012, 0.1, 0.7, 0.15, 0.05}, // slow: timeouts
        {0.008, 0.7, 0.1, 0.1, 0.1}, // flaky network: connect errors
        {0.02, 0.05, 0.15, 0.75, 0.05}, // server errors
        {0.006, 0.05, 0.05, 0.1, 0.8}, // wrong replies
    };

    private final Options options;
    private final SplittableRandom random;
    private final double[] cumulativeVolume;
    private final double[] failureRate;
    private final double[][] reasonShares;
    private final ZoneId zone;
    private final long start;
    private final double millisPerEvent;
    private final String eventIdPrefix;
    private final PriorityQueue<Pending> buffer =
            new PriorityQueue<>(
                    (a, b) ->
                            a.arrival != b.arrival
                                    ? Long.compare(a.arrival, b.arrival)
                                    : Long.compare(a.sequence, b.sequence));
    private final JsonBytes json = new JsonBytes();

    private long generated;
    private long emitted;
    private long maxBuffered;
    private long cachedWeekStart = Long.MAX_VALUE;
    private long cachedWeekEnd = Long.MIN_VALUE;

    public LoadGenerator(Options options) {
        options.validate();
        this.options = options;
        this.random = new SplittableRandom(options.seed);
        this.zone = options.zone;
        this.start =
                options.startTime != null
                        ? options.startTime.toEpochMilli()
                        : options.start.atStartOfDay(zone).toInstant().toEpochMilli();
        this.millisPerEvent = (double) WEEK_MILLIS / options.eventsPerWeek();
        this.eventIdPrefix = "e" + Long.toString(options.seed & Long.MAX_VALUE, 36) + "-";
        int developers = options.developers;
        cumulativeVolume = new double[developers];
        failureRate = new double[developers];
        reasonShares = new double[developers][];
        double sum = 0;
        for (int rank = 0; rank < developers; rank++) {
            sum += 1.0 / Math.pow(rank + 1, options.skew);
            cumulativeVolume[rank] = sum;
            // Each developer's mix depends on the seed and its rank only.
            SplittableRandom own = new SplittableRandom(options.seed * 1_000_003L + rank);
            double[] profile = PROFILES[own.nextInt(PROFILES.length)];
            failureRate[rank] = profile[0] * (0.5 + own.nextDouble());
            reasonShares[rank] =
                    new double[] {
                        profile[1], profile[1] + profile[2], profile[1] + profile[2] + profile[3]
                    };
        }
        for (int rank = 0; rank < developers; rank++) {
            cumulativeVolume[rank] /= sum;
        }
    }

    /** The developerId of the developer with the given volume rank (0 = the busiest). */
    public static long developerId(int rank) {
        return 100_001L + rank;
    }

    /** What one generated record is. */
    public enum Kind {
        /** Within the watermark's out-of-orderness. */
        ON_TIME,
        /** After its week's window fired, within the allowed lateness: corrects the week. */
        LATE,
        /** After the allowed lateness: a LATE dead letter. */
        TOO_LATE,
        /** Not a valid event: a dead letter (INVALID_JSON, MISSING_FIELD, …). */
        MALFORMED
    }

    /**
     * One record, in arrival order.
     *
     * @param developerId the event's developerId (the Kafka key), 0 for a malformed record
     * @param eventTime the event time, 0 for a malformed record
     * @param value the record as written: one JSON line without its newline
     */
    public record Generated(Kind kind, long developerId, long eventTime, byte[] value) {}

    /** Records emitted so far. */
    public long emitted() {
        return emitted;
    }

    /** The most events the reordering buffer held at once: the generator's memory. */
    public long maxBuffered() {
        return maxBuffered;
    }

    /** The next record in arrival order, or null after {@code --events} records. */
    public Generated next() {
        if (emitted >= options.events) {
            return null;
        }
        emitted++;
        if (random.nextDouble() < options.malformedRatio) {
            return malformed();
        }
        // Every event still to be generated arrives at or after its own event time, which is at
        // or after the next one's: once the buffer's head arrives before that, it is next.
        while (buffer.isEmpty() || buffer.peek().arrival > nextEventTime()) {
            if (buffer.size() >= options.maxBuffered) {
                break; // the cap: the head leaves a little early rather than memory growing
            }
            generate();
        }
        Pending next = buffer.poll();
        return new Generated(next.kind, next.developerId, next.eventTime, eventJson(next));
    }

    private long nextEventTime() {
        return start + (long) (generated * millisPerEvent);
    }

    private void generate() {
        long eventTime = nextEventTime();
        long sequence = generated++;
        int rank = developerRank();
        Pending event = new Pending();
        event.sequence = sequence;
        event.developerId = developerId(rank);
        event.eventTime = eventTime;
        event.callbackType = callbackType();
        outcome(event, rank);
        double dice = random.nextDouble();
        long outOfOrderness = options.outOfOrderness.toMillis();
        long lateness = options.allowedLateness.toMillis();
        if (dice < options.tooLateRatio) {
            // After the week's end + lateness + out-of-orderness: the watermark passed it.
            event.kind = Kind.TOO_LATE;
            event.arrival =
                    weekEnd(eventTime)
                            + lateness
                            + outOfOrderness
                            + MARGIN_TOO_LATE
                            + random.nextLong(Duration.ofDays(1).toMillis());
        } else if (dice < options.tooLateRatio + options.lateRatio) {
            // After the week's window fired, well before its lateness ends.
            long window = Math.max(1, lateness - 2 * MARGIN_LATE);
            event.kind = Kind.LATE;
            event.arrival =
                    weekEnd(eventTime) + outOfOrderness + MARGIN_LATE + random.nextLong(window);
        } else {
            event.kind = Kind.ON_TIME;
            event.arrival = eventTime + random.nextLong(Math.max(1, outOfOrderness));
        }
        buffer.add(event);
        maxBuffered = Math.max(maxBuffered, buffer.size());
    }

    private int developerRank() {
        double u = random.nextDouble();
        int rank = Arrays.binarySearch(cumulativeVolume, u);
        rank = rank >= 0 ? rank : -rank - 1;
        return Math.min(rank, cumulativeVolume.length - 1);
    }

    private int callbackType() {
        double u = random.nextDouble();
        for (int i = 0; i < CALLBACK_TYPE_SHARES.length; i++) {
            if (u < CALLBACK_TYPE_SHARES[i]) {
                return i;
            }
        }
        return CALLBACK_TYPES.length - 1;
    }

    private void outcome(Pending event, int rank) {
        long timeout = options.callbackTimeout.toMillis();
        event.httpStatus = 200;
        event.responseOk = true;
        // Mostly fast, a long tail, never above the timeout; sometimes exactly at it (still OK).
        event.latencyMs = Math.min(timeout, 15 + (long) (-Math.log(1 - random.nextDouble()) * 120));
        if (random.nextInt(2000) == 0) {
            event.latencyMs = timeout;
        }
        if (random.nextDouble() >= failureRate[rank]) {
            return;
        }
        double[] shares = reasonShares[rank];
        double u = random.nextDouble();
        if (u < shares[0]) {
            event.httpStatus = 0;
            event.latencyMs = random.nextInt(5000);
            event.responseOk = false;
        } else if (u < shares[1]) {
            event.latencyMs = timeout + 1 + random.nextInt(10_000);
            event.responseOk = random.nextInt(4) != 0;
        } else if (u < shares[2]) {
            event.httpStatus = HTTP_ERRORS[random.nextInt(HTTP_ERRORS.length)];
            event.responseOk = false;
        } else {
            event.responseOk = false;
        }
    }

    private long weekEnd(long timestamp) {
        if (timestamp < cachedWeekStart || timestamp >= cachedWeekEnd) {
            LocalDate monday =
                    Instant.ofEpochMilli(timestamp)
                            .atZone(zone)
                            .toLocalDate()
                            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            cachedWeekStart = monday.atStartOfDay(zone).toInstant().toEpochMilli();
            cachedWeekEnd = monday.plusWeeks(1).atStartOfDay(zone).toInstant().toEpochMilli();
        }
        return cachedWeekEnd;
    }

    private byte[] eventJson(Pending e) {
        json.reset();
        json.ascii("{\"eventId\":\"").ascii(eventIdPrefix).base36(e.sequence);
        json.ascii("\",\"developerId\":").number(e.developerId);
        json.ascii(",\"callbackType\":\"").ascii(CALLBACK_TYPES[e.callbackType]);
        json.ascii("\",\"eventTime\":").number(e.eventTime);
        json.ascii(",\"httpStatus\":").number(e.httpStatus);
        json.ascii(",\"latencyMs\":").number(e.latencyMs);
        json.ascii(e.responseOk ? ",\"responseOk\":true}" : ",\"responseOk\":false}");
        return json.toBytes();
    }

    /** A record the job must reject, of one of the kinds a real producer gets wrong. */
    private Generated malformed() {
        long developerId = developerId(developerRank());
        long eventTime = Math.max(start, nextEventTime() - 1);
        String id = eventIdPrefix + "m" + Long.toString(emitted, 36);
        String valid =
                "{\"eventId\":\""
                        + id
                        + "\",\"developerId\":"
                        + developerId
                        + ",\"callbackType\":\"order.push\",\"eventTime\":"
                        + eventTime
                        + ",\"httpStatus\":200,\"latencyMs\":87,\"responseOk\":true}";
        String line;
        int kind = random.nextInt(1000);
        if (kind < 150) {
            line = "not json at all: " + id; // INVALID_JSON
        } else if (kind < 300) {
            line = valid.substring(0, valid.length() / 2); // INVALID_JSON: truncated
        } else if (kind < 420) {
            line = valid.replace("\"httpStatus\":200", "\"httpStatus\":\"200\""); // INVALID_FIELD
        } else if (kind < 540) {
            line = valid.replace(",\"developerId\":" + developerId, ""); // MISSING_FIELD
        } else if (kind < 640) {
            line = valid.replace("\"responseOk\":true", "\"responseOk\":null"); // INVALID_FIELD
        } else if (kind < 720) {
            line = valid.replace("\"httpStatus\":200", "\"httpStatus\":700"); // out of range
        } else if (kind < 800) {
            line = valid.replace("\"developerId\":" + developerId, "\"developerId\":1.5");
        } else if (kind < 860) {
            line = "[" + valid + "]"; // not an object
        } else if (kind < 920) {
            line = ""; // an empty record
        } else if (kind < 970) {
            line = valid.replace("\"eventId\":\"" + id, "\"eventId\":\"" + "x".repeat(129));
        } else if (kind < 999) {
            line = valid.replace("\"latencyMs\":87", "\"latencyMs\":-1");
        } else {
            // TOO_LARGE: over 64 KiB.
            line = valid.replace("}", ",\"padding\":\"" + "p".repeat(65 * 1024) + "\"}");
        }
        return new Generated(Kind.MALFORMED, developerId, 0, line.getBytes(StandardCharsets.UTF_8));
    }

    /** An event waiting in the reordering buffer: primitives only, the JSON is made on output. */
    private static final class Pending {
        long arrival;
        long sequence;
        long developerId;
        long eventTime;
        int callbackType;
        int httpStatus;
        long latencyMs;
        boolean responseOk;
        Kind kind;
    }

    /** A growable ASCII byte buffer for the JSON of one record. */
    private static final class JsonBytes {
        private byte[] bytes = new byte[256];
        private int length;
        private final byte[] digits = new byte[20];

        void reset() {
            length = 0;
        }

        JsonBytes ascii(String s) {
            int n = s.length();
            ensure(n);
            for (int i = 0; i < n; i++) {
                bytes[length++] = (byte) s.charAt(i);
            }
            return this;
        }

        JsonBytes number(long value) {
            if (value < 0) {
                ensure(1);
                bytes[length++] = '-';
                value = -value;
            }
            return digits(value, 10);
        }

        JsonBytes base36(long value) {
            return digits(value, 36);
        }

        private JsonBytes digits(long value, int radix) {
            int n = 0;
            do {
                int digit = (int) (value % radix);
                digits[n++] = (byte) (digit < 10 ? '0' + digit : 'a' + digit - 10);
                value /= radix;
            } while (value != 0);
            ensure(n);
            while (n > 0) {
                bytes[length++] = digits[--n];
            }
            return this;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        byte[] toBytes() {
            return Arrays.copyOf(bytes, length);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Running it: the command line, the outputs, the pacing.
    // ---------------------------------------------------------------------------------------

    /** Where records go. */
    public interface Output extends AutoCloseable {
        void write(Generated record) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** What a run wrote. */
    public record Summary(
            long records,
            long onTime,
            long late,
            long tooLate,
            long malformed,
            long maxBuffered,
            double seconds) {
        public double recordsPerSecond() {
            return seconds > 0 ? records / seconds : 0;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadGenerator: " + e.getMessage());
            System.err.println("Run with --help for the flags.");
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(usage());
            return;
        }
        if (options.rate == 0 && options.clockSpeedupGiven) {
            System.err.println(
                    "LoadGenerator: --clock-speedup applies with --rate > 0; at --rate 0 event"
                            + " time advances by --events-per-week ("
                            + options.eventsPerWeek()
                            + ")");
        }
        Summary summary = run(options, System.err);
        System.err.printf(
                Locale.ROOT,
                "Wrote %,d records in %.1f s (%,.0f/s): %,d on time, %,d late, %,d too late,"
                        + " %,d malformed; reordering buffer peak %,d events%n",
                summary.records(),
                summary.seconds(),
                summary.recordsPerSecond(),
                summary.onTime(),
                summary.late(),
                summary.tooLate(),
                summary.malformed(),
                summary.maxBuffered());
    }

    /**
     * Generates into the output the options name, paced by {@code --rate}, until {@code --events}
     * records are written or the JVM is asked to stop (SIGINT/SIGTERM: what was sent is flushed).
     */
    public static Summary run(Options options, PrintStream progress) throws Exception {
        return run(options, progress, record -> {});
    }

    /**
     * As {@link #run(Options, PrintStream)}, showing each record to {@code observer} as it goes.
     */
    public static Summary run(Options options, PrintStream progress, Consumer<Generated> observer)
            throws Exception {
        LoadGenerator generator = new LoadGenerator(options);
        long[] kinds = new long[Kind.values().length];
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Thread> main = new AtomicReference<>(Thread.currentThread());
        Thread stopper =
                new Thread(
                        () -> {
                            main.set(null);
                            try {
                                done.await(20, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "load-generator-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        long began = System.nanoTime();
        long nextReport = began + TimeUnit.SECONDS.toNanos(5);
        try (Output output = options.open()) {
            double nanosPerRecord = options.rate > 0 ? 1e9 / options.rate : 0;
            Generated record;
            while (main.get() != null && (record = generator.next()) != null) {
                output.write(record);
                observer.accept(record);
                kinds[record.kind().ordinal()]++;
                if (nanosPerRecord > 0) {
                    long due = began + (long) (generator.emitted() * nanosPerRecord);
                    long wait = due - System.nanoTime();
                    if (wait > 100_000) {
                        LockSupport.parkNanos(wait);
                    }
                }
                if ((generator.emitted() & 0x3ff) == 0 && progress != null) {
                    long now = System.nanoTime();
                    if (now >= nextReport) {
                        nextReport = now + TimeUnit.SECONDS.toNanos(5);
                        progress.printf(
                                Locale.ROOT,
                                "… %,d records, %,.0f/s%n",
                                generator.emitted(),
                                generator.emitted() / ((now - began) / 1e9));
                    }
                }
            }
        } finally {
            done.countDown();
            if (main.get() != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(stopper);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is already stopping
                }
            }
        }
        return new Summary(
                generator.emitted(),
                kinds[Kind.ON_TIME.ordinal()],
                kinds[Kind.LATE.ordinal()],
                kinds[Kind.TOO_LATE.ordinal()],
                kinds[Kind.MALFORMED.ordinal()],
                generator.maxBuffered(),
                (System.nanoTime() - began) / 1e9);
    }

    static String usage() {
        return String.join(
                "\n",
                "LoadGenerator: callback events (docs/reference.md §3) for Kafka or an NDJSON file, in arrival"
                        + " order,",
                "reproducible by seed, streamed in constant memory.",
                "",
                "Output (one of):",
                "  --bootstrap-servers HOST:PORT --topic T   Kafka; records keyed by developerId",
                "  --partitions P          partitions of the topic when it is created (default"
                        + " 4);",
                "                          an existing topic is used as it is",
                "  --compression C         producer compression: none, lz4 (default), snappy,"
                        + " zstd, gzip",
                "  --file PATH             NDJSON, one record a line ('-' = standard output)",
                "",
                "Volume and pace:",
                "  --events N|unbounded    records to write, malformed ones included (default"
                        + " unbounded)",
                "  --rate R                records per second, 0 = as fast as possible (default"
                        + " 0)",
                "  --seed S                (default 42): same flags and seed, same records",
                "",
                "Content:",
                "  --developers D          developerIds 100001…, Zipf-skewed volume (default"
                        + " 1000)",
                "  --skew S                the Zipf exponent (default 1.0)",
                "  --start YYYY-MM-DD      where event time starts, at 00:00 in --zone; a Monday"
                        + " gives whole",
                "                          weeks (default 2026-11-02); or a date-time with"
                        + " offset,",
                "                          e.g. 2026-11-05T12:00:00+08:00",
                "  --clock-speedup K       with --rate > 0, event time advances K times the wall"
                        + " time",
                "                          (default 1; 10080 closes a week every minute)",
                "  --events-per-week E     with --rate 0, events per event-time week (default"
                        + " 2000000)",
                "  --malformed-ratio M     share of malformed records (default 0.002)",
                "  --late-ratio L          share arriving after their week closed, within the"
                        + " lateness (default 0.003)",
                "  --too-late-ratio T      share arriving after the allowed lateness (default"
                        + " 0.001)",
                "  --zone Z                the job's --week.zone (default Asia/Shanghai)",
                "  --out-of-orderness D    the job's --watermark.out-of-orderness (default 5"
                        + " min)",
                "  --allowed-lateness D    the job's --allowed-lateness (default 1 d)",
                "  --callback-timeout D    the job's --callback.timeout (default 3 s)",
                "  --max-buffered B        cap of the reordering buffer, in events (default"
                        + " 1000000)",
                "  --help",
                "");
    }

    /** The generator's settings, with the defaults of the command line. */
    public static final class Options {
        String bootstrapServers;
        String topic;
        String file;
        int partitions = 4;
        boolean partitionsGiven;
        String compression = "lz4";
        long events = Long.MAX_VALUE;
        double rate;
        long seed = 42;
        int developers = 1000;
        double skew = 1.0;

        /** The first Monday of the generated weeks unless {@code --start} says otherwise. */
        public static final LocalDate DEFAULT_START = LocalDate.of(2026, 11, 2);

        LocalDate start = DEFAULT_START;
        Instant startTime;
        double clockSpeedup = 1;
        boolean clockSpeedupGiven;
        Long eventsPerWeek;
        double malformedRatio = 0.002;
        double lateRatio = 0.003;
        double tooLateRatio = 0.001;
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        Duration outOfOrderness = Duration.ofMinutes(5);
        Duration allowedLateness = Duration.ofDays(1);
        Duration callbackTimeout = Duration.ofSeconds(3);
        int maxBuffered = 1_000_000;
        boolean help;

        public Options() {}

        /** Parses {@code --flag value} arguments; a bad one is an IllegalArgumentException. */
        public static Options parse(String... args) {
            Options o = new Options();
            Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    o.help = true;
                    continue;
                }
                if (!flag.startsWith("--")) {
                    throw new IllegalArgumentException("expected a --flag, found '" + flag + "'");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                if (!seen.add(flag)) {
                    throw new IllegalArgumentException(flag + " is given twice");
                }
                o.set(flag.substring(2), args[++i]);
            }
            if (!o.help) {
                o.validate();
            }
            return o;
        }

        private void set(String name, String value) {
            switch (name) {
                case "bootstrap-servers" -> bootstrapServers = value;
                case "topic" -> topic = value;
                case "file" -> file = value;
                case "partitions" -> {
                    partitions = (int) positive(name, value);
                    partitionsGiven = true;
                }
                case "compression" -> compression = value;
                case "events" ->
                        events =
                                value.equalsIgnoreCase("unbounded")
                                        ? Long.MAX_VALUE
                                        : positive(name, value.replace("_", ""));
                case "rate" -> rate = nonNegative(name, value);
                case "seed" -> seed = integer(name, value);
                case "developers" -> developers = (int) positive(name, value);
                case "skew" -> skew = nonNegative(name, value);
                case "start" -> {
                    if (value.contains("T")) {
                        startTime = dateTime(name, value);
                    } else {
                        start = date(name, value);
                    }
                }
                case "clock-speedup" -> {
                    clockSpeedup = nonNegative(name, value);
                    clockSpeedupGiven = true;
                }
                case "events-per-week" -> eventsPerWeek = positive(name, value.replace("_", ""));
                case "malformed-ratio" -> malformedRatio = ratio(name, value);
                case "late-ratio" -> lateRatio = ratio(name, value);
                case "too-late-ratio" -> tooLateRatio = ratio(name, value);
                case "zone" -> {
                    try {
                        zone = ZoneId.of(value);
                    } catch (java.time.DateTimeException e) {
                        throw new IllegalArgumentException(
                                "--zone: '" + value + "' is not a time zone id");
                    }
                }
                case "out-of-orderness" -> outOfOrderness = duration(name, value);
                case "allowed-lateness" -> allowedLateness = duration(name, value);
                case "callback-timeout" -> callbackTimeout = duration(name, value);
                case "max-buffered" -> maxBuffered = (int) positive(name, value);
                default ->
                        throw new IllegalArgumentException(
                                "unknown flag --" + name + " (see --help)");
            }
        }

        void validate() {
            boolean kafka = bootstrapServers != null || topic != null;
            if (kafka && file != null) {
                throw new IllegalArgumentException(
                        "--file and --bootstrap-servers/--topic exclude each other");
            }
            if (kafka && (bootstrapServers == null || topic == null)) {
                throw new IllegalArgumentException(
                        "Kafka output needs both --bootstrap-servers and --topic");
            }
            if (!kafka && file == null) {
                throw new IllegalArgumentException(
                        "give an output: --bootstrap-servers and --topic, or --file");
            }
            if (clockSpeedup <= 0) {
                throw new IllegalArgumentException("--clock-speedup must be positive");
            }
            if (rate > 0 && eventsPerWeek != null) {
                throw new IllegalArgumentException(
                        "--events-per-week is for --rate 0; with a rate, event time follows"
                                + " --clock-speedup");
            }
            if (malformedRatio + lateRatio + tooLateRatio > 0.5) {
                throw new IllegalArgumentException(
                        "--malformed-ratio, --late-ratio and --too-late-ratio add up to more"
                                + " than 0.5");
            }
            if (allowedLateness.compareTo(Duration.ofHours(5)) < 0 && lateRatio > 0) {
                throw new IllegalArgumentException(
                        "--allowed-lateness must be at least 5 h for late events (or"
                                + " --late-ratio 0)");
            }
            if (eventsPerWeek() < 1) {
                throw new IllegalArgumentException(
                        "fewer than one event per event-time week: raise --rate or lower"
                                + " --clock-speedup");
            }
            if (partitionsGiven && file != null) {
                throw new IllegalArgumentException("--partitions is for Kafka output");
            }
        }

        /** Events per event-time week. */
        public long eventsPerWeek() {
            if (rate > 0) {
                return Math.round(rate * (WEEK_MILLIS / 1000.0) / clockSpeedup);
            }
            return eventsPerWeek == null ? 2_000_000 : eventsPerWeek;
        }

        Output open() throws IOException {
            return file != null ? new FileOutput(file) : new KafkaOutput(this);
        }

        private static long positive(String name, String value) {
            long parsed = integer(name, value);
            if (parsed < 1) {
                throw new IllegalArgumentException("--" + name + " must be at least 1");
            }
            return parsed;
        }

        private static long integer(String name, String value) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--" + name + ": '" + value + "' is not an integer");
            }
        }

        private static double nonNegative(String name, String value) {
            double parsed;
            try {
                parsed = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + ": '" + value + "' is no number");
            }
            if (!(parsed >= 0) || Double.isInfinite(parsed)) {
                throw new IllegalArgumentException("--" + name + " must be 0 or more");
            }
            return parsed;
        }

        private static double ratio(String name, String value) {
            double parsed = nonNegative(name, value);
            if (parsed > 1) {
                throw new IllegalArgumentException("--" + name + " must be from 0 to 1");
            }
            return parsed;
        }

        private static Instant dateTime(String name, String value) {
            try {
                return java.time.OffsetDateTime.parse(value.trim()).toInstant();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--"
                                + name
                                + ": '"
                                + value
                                + "' is not a date YYYY-MM-DD or a date-time like"
                                + " 2026-11-02T00:00:00+08:00");
            }
        }

        private static LocalDate date(String name, String value) {
            try {
                return LocalDate.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "--" + name + ": '" + value + "' is not a date YYYY-MM-DD");
            }
        }

        private static final Map<String, Long> UNITS =
                Map.of(
                        "ms", 1L,
                        "s", 1_000L,
                        "min", 60_000L,
                        "h", 3_600_000L,
                        "d", 86_400_000L);

        /** {@code 300 ms}, {@code 5 s}, {@code 5 min}, {@code 2 h}, {@code 1 d}. */
        static Duration duration(String name, String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            int split = 0;
            while (split < v.length() && Character.isDigit(v.charAt(split))) {
                split++;
            }
            Long unit = UNITS.get(v.substring(split).trim());
            if (split == 0 || unit == null) {
                throw new IllegalArgumentException(
                        "--" + name + ": '" + value + "' is not a duration like 5 min, 1 d");
            }
            return Duration.ofMillis(Long.parseLong(v.substring(0, split)) * unit);
        }

        // Builder-style setters for programs that use the generator as a library.

        public Options kafka(String bootstrapServers, String topic) {
            this.bootstrapServers = bootstrapServers;
            this.topic = topic;
            this.file = null;
            return this;
        }

        public Options file(String path) {
            this.file = path;
            this.bootstrapServers = null;
            this.topic = null;
            return this;
        }

        public Options partitions(int value) {
            partitions = value;
            return this;
        }

        public Options events(long value) {
            events = value;
            return this;
        }

        public Options rate(double value) {
            rate = value;
            return this;
        }

        public Options seed(long value) {
            seed = value;
            return this;
        }

        public Options developers(int value) {
            developers = value;
            return this;
        }

        public Options eventsPerWeek(long value) {
            eventsPerWeek = value;
            return this;
        }

        public Options skew(double value) {
            skew = value;
            return this;
        }

        public Options start(LocalDate value) {
            start = value;
            startTime = null;
            return this;
        }

        public Options malformedRatio(double value) {
            malformedRatio = value;
            return this;
        }

        public Options lateRatio(double value) {
            lateRatio = value;
            return this;
        }

        public Options tooLateRatio(double value) {
            tooLateRatio = value;
            return this;
        }

        public Options maxBuffered(int value) {
            maxBuffered = value;
            return this;
        }

        public Options compression(String value) {
            compression = value;
            return this;
        }

        public long events() {
            return events;
        }
    }

    /** NDJSON lines, buffered. */
    static final class FileOutput implements Output {
        private final OutputStream out;

        FileOutput(String path) throws IOException {
            out =
                    new BufferedOutputStream(
                            path.equals("-") ? System.out : new FileOutputStream(path), 1 << 20);
        }

        @Override
        public void write(Generated record) throws IOException {
            out.write(record.value());
            out.write('\n');
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Records keyed by developerId (malformed ones without a key), sent asynchronously. */
    static final class KafkaOutput implements Output {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        KafkaOutput(Options options) {
            this.topic = options.topic;
            ensureTopic(options);
            Properties properties = new Properties();
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers);
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
            properties.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
            properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(64L << 20));
            properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, options.compression);
            properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 << 20));
            properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            producer = new KafkaProducer<>(properties);
        }

        private static void ensureTopic(Options options) {
            Properties properties = new Properties();
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers);
            try (Admin admin = Admin.create(properties)) {
                Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                if (!topics.contains(options.topic)) {
                    admin.createTopics(
                                    java.util.List.of(
                                            new NewTopic(
                                                    options.topic, options.partitions, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                if (e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException) {
                    return;
                }
                throw new IllegalStateException(
                        "Cannot reach Kafka at "
                                + options.bootstrapServers
                                + " or create topic "
                                + options.topic
                                + ": "
                                + e,
                        e);
            }
        }

        @Override
        public void write(Generated record) throws IOException {
            Exception failed = failure.get();
            if (failed != null) {
                throw new IOException("Kafka refused a record", failed);
            }
            byte[] key =
                    record.kind() == Kind.MALFORMED
                            ? null
                            : Long.toString(record.developerId()).getBytes(StandardCharsets.UTF_8);
            producer.send(
                    new ProducerRecord<>(topic, key, record.value()),
                    (metadata, exception) -> {
                        if (exception != null) {
                            failure.compareAndSet(null, exception);
                        }
                    });
        }

        @Override
        public void close() throws IOException {
            try {
                producer.flush();
            } finally {
                producer.close(Duration.ofSeconds(30));
            }
            Exception failed = failure.get();
            if (failed != null) {
                throw new UncheckedIOException(new IOException("Kafka refused a record", failed));
            }
        }
    }
}
