package com.openplatform.availability.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.testkit.CallbackDataGenerator.GeneratedEvent;
import com.openplatform.availability.testkit.CallbackDataGenerator.Line;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An independent calculation of docs/reference.md §2 and §3 for generated inputs: what the result
 * tables and the dead letter must hold. It shares no code with the job beyond the generated
 * records.
 */
public final class ReferenceModel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZoneId zone;
    private final long timeoutMs;
    private final long outOfOrdernessMs;
    private final long latenessMs;
    private final BigDecimal defaultStandard;
    private final long nowMs;
    private final long maxFutureMs;

    /**
     * The model of a job run with {@code config}'s zone, timeout, watermarks, default and FUTURE
     * rule, reading the events now.
     */
    public static ReferenceModel of(JobConfig config) {
        return new ReferenceModel(
                config.weekZone(),
                config.callbackTimeout(),
                config.watermarkOutOfOrderness(),
                config.allowedLateness(),
                config.standardDefault(),
                Instant.now(),
                config.eventMaxFuture());
    }

    /** The job's defaults for the FUTURE rule: an hour ahead of the wall clock now. */
    public ReferenceModel(
            ZoneId zone,
            Duration timeout,
            Duration outOfOrderness,
            Duration lateness,
            BigDecimal defaultStandard) {
        this(
                zone,
                timeout,
                outOfOrderness,
                lateness,
                defaultStandard,
                Instant.now(),
                Duration.ofHours(1));
    }

    /**
     * @param now the wall clock the job read the events at
     * @param maxFuture events later than {@code now + maxFuture} are FUTURE: neither counted nor
     *     moving the watermark
     */
    public ReferenceModel(
            ZoneId zone,
            Duration timeout,
            Duration outOfOrderness,
            Duration lateness,
            BigDecimal defaultStandard,
            Instant now,
            Duration maxFuture) {
        this.zone = zone;
        this.timeoutMs = timeout.toMillis();
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.latenessMs = lateness.toMillis();
        this.defaultStandard = defaultStandard;
        this.nowMs = now.toEpochMilli();
        this.maxFutureMs = maxFuture.toMillis();
    }

    /** One expected row of weekly_availability. */
    public record Row(
            long developerId,
            LocalDate weekStart,
            long total,
            long failed,
            long connectError,
            long timeout,
            long httpError,
            long badResponse,
            BigDecimal availability,
            BigDecimal standard,
            boolean satisfied) {

        /** This row with its decimals at the tables' scale, as read back from them. */
        public Row scaled() {
            return new Row(
                    developerId,
                    weekStart,
                    total,
                    failed,
                    connectError,
                    timeout,
                    httpError,
                    badResponse,
                    ResultTables.scaled(availability),
                    ResultTables.scaled(standard),
                    satisfied);
        }
    }

    /**
     * The diagnosis columns of a row (docs/reference.md §6), exact: the percentiles are the values
     * of the callbacks themselves, which the job's may differ from by up to 1 % or 1 ms.
     */
    public record Diagnosis(
            Long latencyP50,
            Long latencyP95,
            Long latencyP99,
            Instant peakHourStart,
            Long peakHourCount,
            Instant worstHourStart,
            Long worstHourFailed,
            Long worstHourTotal) {}

    /**
     * The expected rows and their diagnoses, keyed by "developerId/weekStart", the events that are
     * too late and those from the future.
     */
    public record Expected(
            Map<String, Row> rows,
            Map<String, Diagnosis> diagnoses,
            List<GeneratedEvent> tooLate,
            List<GeneratedEvent> future) {
        /** The rows of weeks before {@code week}, at the tables' decimal scale. */
        public Map<String, Row> rowsBefore(LocalDate week) {
            Map<String, Row> before = new TreeMap<>();
            rows.forEach(
                    (key, row) -> {
                        if (row.weekStart().isBefore(week)) {
                            before.put(key, row.scaled());
                        }
                    });
            return before;
        }

        /** All rows, their decimals at the tables' scale. */
        public Map<String, Row> scaledRows() {
            return rowsBefore(LocalDate.MAX);
        }

        /** The too-late events' JSON, sorted. */
        public List<String> tooLateJson() {
            List<String> json = new ArrayList<>();
            for (GeneratedEvent event : tooLate) {
                json.add(event.json());
            }
            json.sort(null);
            return json;
        }
    }

    public Expected compute(List<Line> events, List<String> standards) {
        List<long[]> counts = new ArrayList<>();
        Map<String, long[]> byWeek = new TreeMap<>();
        Map<String, List<Long>> latencies = new TreeMap<>();
        Map<String, TreeMap<Instant, long[]>> hours = new TreeMap<>();
        List<GeneratedEvent> tooLate = new ArrayList<>();
        List<GeneratedEvent> future = new ArrayList<>();
        long maxSeen = Long.MIN_VALUE;
        for (Line line : events) {
            GeneratedEvent event = line.event();
            if (event == null) {
                continue;
            }
            if (event.eventTime() - maxFutureMs > nowMs) {
                future.add(event);
                continue;
            }
            LocalDate monday = mondayOf(event.eventTime());
            long weekEnd = startOf(monday.plusWeeks(1));
            long watermark =
                    maxSeen == Long.MIN_VALUE ? Long.MIN_VALUE : maxSeen - outOfOrdernessMs - 1;
            if (weekEnd - 1 + latenessMs <= watermark) {
                tooLate.add(event);
            } else {
                long[] c =
                        byWeek.computeIfAbsent(
                                event.developerId() + "/" + monday,
                                k -> {
                                    long[] fresh = new long[5];
                                    counts.add(fresh);
                                    return fresh;
                                });
                c[0]++;
                int reason = reason(event);
                if (reason > 0) {
                    c[reason]++;
                }
                String key = event.developerId() + "/" + monday;
                if (event.httpStatus() != 0) {
                    latencies.computeIfAbsent(key, k -> new ArrayList<>()).add(event.latencyMs());
                }
                long[] hour =
                        hours.computeIfAbsent(key, k -> new TreeMap<>())
                                .computeIfAbsent(localHourOf(event.eventTime()), h -> new long[2]);
                hour[0]++;
                hour[1] += reason > 0 ? 1 : 0;
            }
            maxSeen = Math.max(maxSeen, event.eventTime());
        }
        List<JsonNode> validStandards = parseStandards(standards);
        Map<String, Row> rows = new TreeMap<>();
        for (Map.Entry<String, long[]> entry : byWeek.entrySet()) {
            String[] key = entry.getKey().split("/");
            long developerId = Long.parseLong(key[0]);
            LocalDate monday = LocalDate.parse(key[1]);
            long[] c = entry.getValue();
            long failed = c[1] + c[2] + c[3] + c[4];
            BigDecimal standard =
                    standardFor(developerId, startOf(monday.plusWeeks(1)), validStandards);
            BigDecimal valid = BigDecimal.valueOf(c[0] - failed);
            rows.put(
                    entry.getKey(),
                    new Row(
                            developerId,
                            monday,
                            c[0],
                            failed,
                            c[1],
                            c[2],
                            c[3],
                            c[4],
                            valid.divide(BigDecimal.valueOf(c[0]), 10, RoundingMode.DOWN),
                            standard,
                            valid.compareTo(standard.multiply(BigDecimal.valueOf(c[0]))) >= 0));
        }
        Map<String, Diagnosis> diagnoses = new TreeMap<>();
        for (String key : byWeek.keySet()) {
            List<Long> sorted = new ArrayList<>(latencies.getOrDefault(key, List.of()));
            sorted.sort(null);
            Map.Entry<Instant, long[]> peak = earliestMost(hours.get(key), 0);
            Map.Entry<Instant, long[]> worst = earliestMost(hours.get(key), 1);
            diagnoses.put(
                    key,
                    new Diagnosis(
                            nearestRank(sorted, 50),
                            nearestRank(sorted, 95),
                            nearestRank(sorted, 99),
                            peak.getKey(),
                            peak.getValue()[0],
                            worst == null ? null : worst.getKey(),
                            worst == null ? null : worst.getValue()[1],
                            worst == null ? null : worst.getValue()[0]));
        }
        return new Expected(rows, diagnoses, tooLate, future);
    }

    /** The smallest value with at least {@code percent} % of the values at or below it. */
    private static Long nearestRank(List<Long> sorted, int percent) {
        for (int i = 0; i < sorted.size(); i++) {
            if ((i + 1) * 100L >= (long) percent * sorted.size()) {
                return sorted.get(i);
            }
        }
        return null;
    }

    /** The earliest hour with the largest non-zero count at {@code index}; null if none. */
    private static Map.Entry<Instant, long[]> earliestMost(
            TreeMap<Instant, long[]> hours, int index) {
        Map.Entry<Instant, long[]> most = null;
        for (Map.Entry<Instant, long[]> hour : hours.entrySet()) {
            if (hour.getValue()[index] > (most == null ? 0 : most.getValue()[index])) {
                most = hour;
            }
        }
        return most;
    }

    /**
     * The start of the local hour of {@code timestamp}: its wall-clock time cut to the hour, in the
     * same offset where a DST change repeats the hour.
     */
    private Instant localHourOf(long timestamp) {
        return Instant.ofEpochMilli(timestamp)
                .atZone(zone)
                .truncatedTo(ChronoUnit.HOURS)
                .toInstant();
    }

    /**
     * The alert ledger rows ("developerId/weekStart/openId/status") for the breaches in {@code
     * rows}: one per openId bound at the end of {@code bindings}, or one NO_RECIPIENT row.
     */
    public static List<String> alerts(Map<String, Row> rows, List<String> bindings) {
        Map<String, JsonNode> latest = new TreeMap<>();
        for (String line : bindings) {
            try {
                JsonNode node = JSON.readTree(line);
                if (!node.get("developerId").isIntegralNumber()) {
                    continue;
                }
                String key = node.get("developerId").asLong() + "/" + node.get("openId").asText();
                JsonNode known = latest.get(key);
                if (known == null
                        || known.get("version").asLong() <= node.get("version").asLong()) {
                    latest.put(key, node);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<String> alerts = new ArrayList<>();
        for (Row row : rows.values()) {
            if (row.satisfied()) {
                continue;
            }
            List<String> openIds = new ArrayList<>();
            for (JsonNode binding : latest.values()) {
                if (binding.get("developerId").asLong() == row.developerId()
                        && binding.get("bound").asBoolean()) {
                    openIds.add(binding.get("openId").asText());
                }
            }
            String week = row.developerId() + "/" + row.weekStart() + "/";
            if (openIds.isEmpty()) {
                alerts.add(week + "/NO_RECIPIENT");
            }
            for (String openId : openIds) {
                alerts.add(week + openId + "/SKIPPED");
            }
        }
        alerts.sort(null);
        return alerts;
    }

    /** 1 connect error, 2 timeout, 3 HTTP error, 4 bad response, 0 valid. */
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

    private BigDecimal standardFor(long developerId, long weekEnd, List<JsonNode> standards) {
        BigDecimal own = pick(developerId, weekEnd, standards);
        if (own != null) {
            return own;
        }
        BigDecimal platform = pick(0, weekEnd, standards);
        return platform != null ? platform : defaultStandard;
    }

    private static BigDecimal pick(long developerId, long weekEnd, List<JsonNode> standards) {
        JsonNode best = null;
        for (JsonNode s : standards) {
            long from = s.has("effectiveFrom") ? s.get("effectiveFrom").asLong() : Long.MIN_VALUE;
            if (s.get("developerId").asLong() != developerId || from >= weekEnd) {
                continue;
            }
            if (best == null || s.get("version").asLong() > best.get("version").asLong()) {
                best = s;
            }
        }
        return best == null ? null : new BigDecimal(best.get("standard").asText());
    }

    private static List<JsonNode> parseStandards(List<String> lines) {
        List<JsonNode> valid = new ArrayList<>();
        for (String line : lines) {
            try {
                JsonNode node = JSON.readTree(line);
                BigDecimal value = new BigDecimal(node.get("standard").asText());
                if (value.signum() > 0 && value.compareTo(BigDecimal.ONE) <= 0) {
                    valid.add(node);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return valid;
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
