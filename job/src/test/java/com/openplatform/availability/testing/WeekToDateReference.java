package com.openplatform.availability.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.testkit.CallbackDataGenerator.GeneratedEvent;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * An independent calculation of docs/reference.md §10 (the in-week evaluation) for generated
 * inputs: per (developerId, week) the expected early warning (the first local hour boundary {@code
 * h} strictly inside the week at which a burn-rate rule holds, and the first rule that holds there)
 * and the expected last {@code week_to_date} row (as of the week's end). It shares no code with the
 * job: the hour boundaries come from {@link ZonedDateTime}, the rules are evaluated by brute force
 * over the events with {@link BigDecimal} arithmetic written here.
 *
 * <p>Two readings of "the events of {@code [window start, h)} that arrived before the watermark
 * passed {@code h}": {@link Mode#EVENT_TIME}, every event with {@code eventTime < h} (right for
 * inputs whose events all lie within the watermark's out-of-orderness), and {@link Mode#ARRIVAL},
 * where an event counts at {@code h} only if the watermark (the largest event time read before it
 * minus the out-of-orderness minus 1 ms, emitted at once) had not yet reached {@code h - 1} when it
 * was read.
 */
public final class WeekToDateReference {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How events that arrive late count in evaluations (see the class comment). */
    public enum Mode {
        EVENT_TIME,
        ARRIVAL
    }

    /** The week's early warning: its rule and evaluation point. */
    public record Warning(long developerId, LocalDate weekStart, String rule, Instant asOf) {
        public String key() {
            return developerId + "/" + weekStart;
        }
    }

    /** The week_to_date row as of the week's end. */
    public record Row(
            long developerId,
            LocalDate weekStart,
            Instant asOf,
            long total,
            long failed,
            long connectError,
            long timeout,
            long httpError,
            long badResponse,
            BigDecimal availability,
            BigDecimal standard,
            BigDecimal burnRate1h,
            BigDecimal burnRate6h,
            boolean onTrack) {}

    /** Warnings and last rows keyed by "developerId/weekStart". */
    public record Expected(Map<String, Warning> warnings, Map<String, Row> rows) {}

    private final ZoneId zone;
    private final long timeoutMs;
    private final long outOfOrdernessMs;
    private final BigDecimal fastRate;
    private final BigDecimal slowRate;
    private final long minCallbacks;

    public WeekToDateReference(
            ZoneId zone,
            Duration callbackTimeout,
            Duration outOfOrderness,
            BigDecimal fastRate,
            BigDecimal slowRate,
            long minCallbacks) {
        this.zone = zone;
        this.timeoutMs = callbackTimeout.toMillis();
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.fastRate = fastRate;
        this.slowRate = slowRate;
        this.minCallbacks = minCallbacks;
    }

    /** One counted callback: when it happened, its reason (0 valid), from which h it counts. */
    private record Counted(long eventTime, int reason, long countsFrom) {}

    /**
     * @param events the events input in arrival order
     * @param standard the week's standard of a developerId (§3.2), by (developerId, Monday)
     */
    public Expected compute(
            List<Line> events, BiFunction<Long, LocalDate, BigDecimal> standard, Mode mode) {
        Map<String, List<Counted>> byWeek = new TreeMap<>();
        long maxSeen = Long.MIN_VALUE;
        for (Line line : events) {
            GeneratedEvent event = line.event();
            if (event == null) {
                continue;
            }
            long watermark =
                    maxSeen == Long.MIN_VALUE ? Long.MIN_VALUE : maxSeen - outOfOrdernessMs - 1;
            long time = event.eventTime();
            LocalDate monday = mondayOf(time);
            long weekEnd = startOf(monday.plusWeeks(1));
            maxSeen = Math.max(maxSeen, time);
            if (mode == Mode.ARRIVAL && watermark >= weekEnd - 1) {
                continue; // the week's evaluation is over: only the weekly result counts it
            }
            // Counted at h iff eventTime < h and (ARRIVAL) the watermark was below h - 1.
            long countsFrom =
                    mode == Mode.ARRIVAL && watermark != Long.MIN_VALUE
                            ? Math.max(time + 1, watermark + 2)
                            : time + 1;
            byWeek.computeIfAbsent(event.developerId() + "/" + monday, k -> new ArrayList<>())
                    .add(new Counted(time, reason(event), countsFrom));
        }
        Map<String, Warning> warnings = new TreeMap<>();
        Map<String, Row> rows = new TreeMap<>();
        for (Map.Entry<String, List<Counted>> week : byWeek.entrySet()) {
            String[] key = week.getKey().split("/");
            long developerId = Long.parseLong(key[0]);
            LocalDate monday = LocalDate.parse(key[1]);
            BigDecimal weekStandard = standard.apply(developerId, monday);
            BigDecimal budget = BigDecimal.ONE.subtract(weekStandard);
            List<Instant> points = hourBoundaries(monday);
            Instant start = points.get(0);
            Instant end = points.get(points.size() - 1);
            long weekHours = points.size() - 1;
            List<Counted> counted = week.getValue();
            for (int k = 1; k < weekHours; k++) {
                String rule = firstRule(counted, points, k, weekHours, budget);
                if (rule != null) {
                    warnings.put(
                            week.getKey(), new Warning(developerId, monday, rule, points.get(k)));
                    break;
                }
            }
            long[] all = counts(counted, start, end, end);
            int last = points.size() - 1;
            long[] lastHour = counts(counted, points.get(last - 1), end, end);
            long[] lastSix = counts(counted, points.get(Math.max(0, last - 6)), end, end);
            long failed = all[1] + all[2] + all[3] + all[4];
            rows.put(
                    week.getKey(),
                    new Row(
                            developerId,
                            monday,
                            end,
                            all[0],
                            failed,
                            all[1],
                            all[2],
                            all[3],
                            all[4],
                            BigDecimal.valueOf(all[0] - failed)
                                    .divide(BigDecimal.valueOf(all[0]), 10, RoundingMode.DOWN),
                            weekStandard,
                            burnRate(lastHour, budget),
                            burnRate(lastSix, budget),
                            !budgetSpent(all[0], failed, weekHours, weekHours, budget)));
        }
        return new Expected(warnings, rows);
    }

    /** The first rule holding at {@code points[k]}, by name, or null. */
    private String firstRule(
            List<Counted> counted, List<Instant> points, int k, long weekHours, BigDecimal budget) {
        Instant h = points.get(k);
        long[] hour = counts(counted, points.get(k - 1), h, h);
        if (burns(hour, fastRate.multiply(budget))) {
            return "FAST_BURN";
        }
        long[] six = counts(counted, points.get(Math.max(0, k - 6)), h, h);
        if (burns(six, slowRate.multiply(budget))) {
            return "SLOW_BURN";
        }
        long[] toDate = counts(counted, points.get(0), h, h);
        long failed = toDate[1] + toDate[2] + toDate[3] + toDate[4];
        return budgetSpent(toDate[0], failed, k, weekHours, budget) ? "BUDGET_SPENT" : null;
    }

    /** total ≥ min, failed > 0 and failed ≥ rate × budget × total. */
    private boolean burns(long[] window, BigDecimal rateTimesBudget) {
        long total = window[0];
        long failed = window[1] + window[2] + window[3] + window[4];
        return total >= minCallbacks
                && failed > 0
                && new BigDecimal(failed)
                                .subtract(rateTimesBudget.multiply(new BigDecimal(total)))
                                .signum()
                        >= 0;
    }

    /** failed × elapsed ≥ budget × total × week, with the callbacks minimum. */
    private boolean budgetSpent(
            long total, long failed, long elapsedHours, long weekHours, BigDecimal budget) {
        if (total < minCallbacks || failed == 0) {
            return false;
        }
        BigDecimal spent = new BigDecimal(failed).multiply(new BigDecimal(elapsedHours));
        BigDecimal allowed =
                budget.multiply(new BigDecimal(total)).multiply(new BigDecimal(weekHours));
        return spent.compareTo(allowed) >= 0;
    }

    /** (failed / total) / budget to 4 places, rounded down; null without callbacks or budget. */
    private static BigDecimal burnRate(long[] window, BigDecimal budget) {
        if (window[0] == 0 || budget.signum() == 0) {
            return null;
        }
        BigDecimal failed = new BigDecimal(window[1] + window[2] + window[3] + window[4]);
        // failed / (total × budget), exact to 4 places rounded down.
        return failed.divide(new BigDecimal(window[0]).multiply(budget), 4, RoundingMode.DOWN);
    }

    /** {total, connect, timeout, http, bad} of the callbacks in [from, to) counted at h. */
    private static long[] counts(List<Counted> counted, Instant from, Instant to, Instant h) {
        long[] c = new long[5];
        long f = from.toEpochMilli();
        long t = to.toEpochMilli();
        long at = h.toEpochMilli();
        for (Counted e : counted) {
            if (e.eventTime() >= f && e.eventTime() < t && e.countsFrom() <= at) {
                c[0]++;
                if (e.reason() > 0) {
                    c[e.reason()]++;
                }
            }
        }
        return c;
    }

    /**
     * The week's start, every local hour boundary inside it, and its end: the instants at which the
     * local time is a whole hour (a repeated local hour has two, a skipped one none).
     */
    public List<Instant> hourBoundaries(LocalDate monday) {
        Instant start = monday.atStartOfDay(zone).toInstant();
        Instant end = monday.plusWeeks(1).atStartOfDay(zone).toInstant();
        List<Instant> points = new ArrayList<>();
        // Every whole-minute instant is checked against the local clock: no assumption on offsets.
        for (Instant t = start; !t.isAfter(end); t = t.plus(1, ChronoUnit.MINUTES)) {
            ZonedDateTime local = t.atZone(zone);
            if (local.getMinute() == 0 && local.getSecond() == 0) {
                points.add(t);
            }
        }
        return points;
    }

    /**
     * The warnings of a job run with {@code config} reading {@code events} in this order, the week
     * standards of {@code weekly}: read both ways, {@link Mode#ARRIVAL} first, then {@link
     * Mode#EVENT_TIME} (the too-late events left out). A job whose watermark is emitted
     * periodically lies in between for events that arrive late; both readings warn the same weeks
     * (asserted), possibly at different points.
     */
    public static List<Map<String, Warning>> warningsBothWays(
            JobConfig config, List<Line> events, ReferenceModel.Expected weekly) {
        WeekToDateReference reference =
                new WeekToDateReference(
                        config.weekZone(),
                        config.callbackTimeout(),
                        config.watermarkOutOfOrderness(),
                        config.warning().fastBurnRate(),
                        config.warning().slowBurnRate(),
                        config.warning().minCallbacks());
        BiFunction<Long, LocalDate, BigDecimal> standards =
                (developerId, monday) -> weekly.rows().get(developerId + "/" + monday).standard();
        Map<String, Warning> arrival =
                reference.compute(events, standards, Mode.ARRIVAL).warnings();
        List<Line> inTime = new ArrayList<>(events);
        inTime.removeIf(line -> line.event() != null && weekly.tooLate().contains(line.event()));
        Map<String, Warning> eventTime =
                reference.compute(inTime, standards, Mode.EVENT_TIME).warnings();
        if (!arrival.keySet().equals(eventTime.keySet())) {
            throw new AssertionError(
                    "the two readings warn different weeks: " + arrival + " vs " + eventTime);
        }
        return List.of(arrival, eventTime);
    }

    /**
     * The ledger rows "developerId/weekStart/openId/status/rule/asOf" the warnings call for: one
     * per openId bound at the end of {@code bindings} (status {@code status}), or one NO_RECIPIENT
     * row with an empty openId.
     */
    public static List<String> ledger(
            Map<String, Warning> warnings, List<String> bindings, String status) {
        Map<Long, List<String>> bound = boundOpenIds(bindings);
        List<String> rows = new ArrayList<>();
        for (Warning warning : warnings.values()) {
            String week = warning.developerId() + "/" + warning.weekStart() + "/";
            String tail = "/" + warning.rule() + "/" + warning.asOf();
            List<String> openIds = bound.getOrDefault(warning.developerId(), List.of());
            if (openIds.isEmpty()) {
                rows.add(week + "/NO_RECIPIENT" + tail);
            }
            for (String openId : openIds) {
                rows.add(week + openId + "/" + status + tail);
            }
        }
        rows.sort(null);
        return rows;
    }

    /** The openIds bound to each developerId once every binding is read (highest version wins). */
    public static Map<Long, List<String>> boundOpenIds(List<String> bindings) {
        Map<String, JsonNode> latest = new TreeMap<>();
        for (String line : bindings) {
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                continue;
            }
            if (node == null || !node.path("developerId").isIntegralNumber()) {
                continue;
            }
            String key = node.get("developerId").asLong() + "/" + node.get("openId").asText();
            JsonNode known = latest.get(key);
            if (known == null || known.get("version").asLong() <= node.get("version").asLong()) {
                latest.put(key, node);
            }
        }
        Map<Long, List<String>> bound = new TreeMap<>();
        for (JsonNode node : latest.values()) {
            if (node.get("bound").asBoolean()) {
                bound.computeIfAbsent(node.get("developerId").asLong(), k -> new ArrayList<>())
                        .add(node.get("openId").asText());
            }
        }
        return bound;
    }

    /** 1 connect error, 2 timeout, 3 HTTP error, 4 bad response, 0 valid (§2). */
    private int reason(GeneratedEvent event) {
        if (event.httpStatus() == 0) {
            return 1;
        }
        if (event.latencyMs() > timeoutMs) {
            return 2;
        }
        if (event.httpStatus() != 200) {
            return 3;
        }
        return event.responseOk() ? 0 : 4;
    }

    private LocalDate mondayOf(long timestamp) {
        return Instant.ofEpochMilli(timestamp)
                .atZone(zone)
                .toLocalDate()
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private long startOf(LocalDate day) {
        return day.atStartOfDay(zone).toInstant().toEpochMilli();
    }
}
