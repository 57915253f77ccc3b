package com.openplatform.availability.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Realistic inputs for the job, reproducible by seed: developerIds with skewed volume and different
 * failure mixes, out-of-order, late and too-late events, malformed lines, standards (platform
 * default, own, versioned, effective mid-stream) and WeChat bindings.
 *
 * <p>Events come in arrival order: each has an arrival delay, mostly within the watermark's
 * out-of-orderness, some of hours (late but correcting), a few of days (too late).
 */
public final class CallbackDataGenerator {
    private static final String[] CALLBACK_TYPES = {
        "order.push", "order.cancel", "order.refund", "delivery.status", "shop.notify"
    };

    private static final String[] MALFORMED = {
        "not json at all",
        "{\"eventId\":\"truncated\",\"developerId\":1",
        "{\"eventId\":\"str-status\",\"developerId\":7,\"callbackType\":\"order.push\","
                + "\"eventTime\":1763337600123,\"httpStatus\":\"200\",\"latencyMs\":5,"
                + "\"responseOk\":true}",
        "{\"eventId\":\"no-developer\",\"callbackType\":\"order.push\","
                + "\"eventTime\":1763337600123,\"httpStatus\":200,\"latencyMs\":5,"
                + "\"responseOk\":true}",
        "{\"eventId\":\"null-ok\",\"developerId\":7,\"callbackType\":\"order.push\","
                + "\"eventTime\":1763337600123,\"httpStatus\":200,\"latencyMs\":5,"
                + "\"responseOk\":null}",
        "[1,2,3]",
        ""
    };

    private final Options options;
    private final SplittableRandom random;

    public CallbackDataGenerator(Options options) {
        if (options.firstMonday.getDayOfWeek() != DayOfWeek.MONDAY) {
            throw new IllegalArgumentException(
                    "firstMonday is a " + options.firstMonday.getDayOfWeek());
        }
        this.options = options;
        this.random = new SplittableRandom(options.seed);
    }

    /**
     * Writes the three NDJSON input files into a directory: {@code <dir> [seed] [developers]
     * [weeks] [eventsPerWeek]}. The bundled examples are {@code examples 42 60 3 1000}.
     */
    public static void main(String[] args) throws IOException {
        Path dir = Paths.get(args.length > 0 ? args[0] : "examples");
        Options options = new Options();
        if (args.length > 1) {
            options.seed(Long.parseLong(args[1]));
        }
        if (args.length > 2) {
            options.developers(Integer.parseInt(args[2]));
        }
        if (args.length > 3) {
            options.weeks(Integer.parseInt(args[3]));
        }
        if (args.length > 4) {
            options.eventsPerWeek(Long.parseLong(args[4]));
        }
        CallbackDataGenerator generator = new CallbackDataGenerator(options);
        Files.createDirectories(dir);
        List<String> events = new ArrayList<>();
        for (Line line : generator.events()) {
            events.add(line.json());
        }
        Files.write(dir.resolve("callback-events.ndjson"), events, StandardCharsets.UTF_8);
        Files.write(
                dir.resolve("availability-standards.ndjson"),
                generator.standards(),
                StandardCharsets.UTF_8);
        Files.write(
                dir.resolve("wechat-bindings.ndjson"),
                generator.bindings(),
                StandardCharsets.UTF_8);
        System.out.println("Wrote " + events.size() + " event lines to " + dir);
    }

    /** One generated line of the events input: an event, or a malformed line when event is null. */
    public record Line(String json, GeneratedEvent event) {}

    /** A valid generated event. */
    public record GeneratedEvent(
            String eventId,
            long developerId,
            String callbackType,
            long eventTime,
            int httpStatus,
            long latencyMs,
            boolean responseOk) {
        public String json() {
            return "{\"eventId\":\""
                    + eventId
                    + "\",\"developerId\":"
                    + developerId
                    + ",\"callbackType\":\""
                    + callbackType
                    + "\",\"eventTime\":"
                    + eventTime
                    + ",\"httpStatus\":"
                    + httpStatus
                    + ",\"latencyMs\":"
                    + latencyMs
                    + ",\"responseOk\":"
                    + responseOk
                    + "}";
        }
    }

    /** The events input, in arrival order. */
    public List<Line> events() {
        List<Arrival> arrivals = new ArrayList<>();
        long start = options.firstMonday.atStartOfDay(options.zone).toInstant().toEpochMilli();
        long end =
                options.firstMonday
                        .plusWeeks(options.weeks)
                        .atStartOfDay(options.zone)
                        .toInstant()
                        .toEpochMilli();
        long sequence = 0;
        for (int d = 0; d < options.developers; d++) {
            long developerId = 100_000 + d;
            // Skewed volume: a few developers carry most callbacks.
            double share = 1.0 / Math.pow(d + 1, 0.8);
            long count = Math.max(5, Math.round(options.eventsPerWeek * options.weeks * share));
            double failureRate = failureRate(d);
            for (long i = 0; i < count; i++) {
                long eventTime = start + (long) (random.nextDouble() * (end - start));
                GeneratedEvent event = event(developerId, eventTime, failureRate, ++sequence);
                arrivals.add(new Arrival(eventTime + delay(), new Line(event.json(), event)));
            }
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at));
        List<Line> lines = new ArrayList<>(arrivals.size());
        for (Arrival arrival : arrivals) {
            if (random.nextDouble() < options.malformedRatio) {
                lines.add(new Line(MALFORMED[random.nextInt(MALFORMED.length)], null));
            }
            lines.add(arrival.line);
        }
        return lines;
    }

    /** The standards input: the platform default, own standards and one that changes mid-way. */
    public List<String> standards() {
        List<String> lines = new ArrayList<>();
        lines.add(standard(0, "0.995", null, 1));
        long midway =
                options.firstMonday
                        .plusWeeks(options.weeks / 2)
                        .atStartOfDay(options.zone)
                        .toInstant()
                        .toEpochMilli();
        for (int d = 0; d < options.developers; d++) {
            long developerId = 100_000 + d;
            if (d % 7 == 1) {
                lines.add(standard(developerId, "0.99", null, 1));
            } else if (d % 7 == 2) {
                lines.add(standard(developerId, "0.98", null, 1));
                lines.add(standard(developerId, "0.999", midway, 2));
            }
        }
        lines.add("{\"developerId\":100003,\"standard\":\"1.5\",\"version\":9}");
        return lines;
    }

    /** The bindings input: most developers have a primary engineer, some a backup, a few none. */
    public List<String> bindings() {
        List<String> lines = new ArrayList<>();
        for (int d = 0; d < options.developers; d++) {
            long developerId = 100_000 + d;
            if (d % 10 == 9) {
                continue;
            }
            lines.add(binding(developerId, openId(developerId, "p"), true, "primary", 1));
            if (d % 3 == 0) {
                lines.add(binding(developerId, openId(developerId, "b"), true, "backup", 1));
            }
            if (d % 8 == 5) {
                lines.add(binding(developerId, openId(developerId, "p"), false, "primary", 2));
            }
        }
        lines.add("{\"developerId\":\"oops\",\"openId\":\"x\",\"bound\":true,\"version\":1}");
        return lines;
    }

    private static String openId(long developerId, String role) {
        return "o" + role + Long.toString(developerId * 7919, 36);
    }

    private double failureRate(int developer) {
        switch (developer % 5) {
            case 0:
                return 0.0005;
            case 1:
                return 0.004;
            case 2:
                return 0.02;
            case 3:
                return 0.0;
            default:
                return 0.008;
        }
    }

    private GeneratedEvent event(long developerId, long eventTime, double failureRate, long id) {
        String type = CALLBACK_TYPES[random.nextInt(CALLBACK_TYPES.length)];
        int status = 200;
        long latency = 30 + random.nextInt(400);
        boolean ok = true;
        if (random.nextDouble() < failureRate) {
            switch (random.nextInt(4)) {
                case 0:
                    status = 0;
                    latency = 3000 + random.nextInt(2000);
                    break;
                case 1:
                    latency = 3001 + random.nextInt(5000);
                    break;
                case 2:
                    status = random.nextBoolean() ? 500 : 502;
                    break;
                default:
                    ok = false;
            }
        } else if (random.nextInt(500) == 0) {
            latency = 3000; // the edge: exactly the timeout is still valid
        }
        return new GeneratedEvent(
                String.format(Locale.ROOT, "e%s-%08d", Long.toString(options.seed, 36), id),
                developerId,
                type,
                eventTime,
                status,
                latency,
                ok);
    }

    private long delay() {
        double dice = random.nextDouble();
        long ooo = options.outOfOrderness.toMillis();
        if (dice < options.tooLateRatio) {
            return Duration.ofDays(2).toMillis() + random.nextLong(Duration.ofDays(2).toMillis());
        }
        if (dice < options.tooLateRatio + options.lateRatio) {
            return ooo + random.nextLong(Duration.ofHours(20).toMillis());
        }
        return random.nextLong(Math.max(1, ooo));
    }

    private static String standard(
            long developerId, String value, Long effectiveFrom, long version) {
        return "{\"developerId\":"
                + developerId
                + ",\"standard\":\""
                + value
                + "\""
                + (effectiveFrom == null ? "" : ",\"effectiveFrom\":" + effectiveFrom)
                + ",\"version\":"
                + version
                + "}";
    }

    private static String binding(
            long developerId, String openId, boolean bound, String role, long version) {
        return "{\"developerId\":"
                + developerId
                + ",\"openId\":\""
                + openId
                + "\",\"bound\":"
                + bound
                + ",\"role\":\""
                + role
                + "\",\"version\":"
                + version
                + "}";
    }

    private record Arrival(long at, Line line) {}

    /** What to generate. */
    public static final class Options {
        long seed = 42;
        int developers = 60;
        int weeks = 3;
        long eventsPerWeek = 2_000;
        LocalDate firstMonday = LocalDate.of(2026, 11, 2);
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        Duration outOfOrderness = Duration.ofMinutes(5);
        double malformedRatio = 0.002;
        double lateRatio = 0.003;
        double tooLateRatio = 0.001;

        public Options seed(long value) {
            seed = value;
            return this;
        }

        public Options developers(int value) {
            developers = value;
            return this;
        }

        public Options weeks(int value) {
            weeks = value;
            return this;
        }

        /** Events a week of the busiest developer; the others get fewer. */
        public Options eventsPerWeek(long value) {
            eventsPerWeek = value;
            return this;
        }

        public Options firstMonday(LocalDate value) {
            firstMonday = value;
            return this;
        }

        public Options zone(ZoneId value) {
            zone = value;
            return this;
        }

        public Options outOfOrderness(Duration value) {
            outOfOrderness = value;
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
    }
}
