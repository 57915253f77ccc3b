package com.openplatform.availability.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openplatform.availability.config.JobConfig;
import com.openplatform.availability.tools.CallbackDataGenerator.GeneratedEvent;
import com.openplatform.availability.tools.CallbackDataGenerator.Line;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An independent calculation of SPEC §2 and §3 for generated inputs: what the result tables and the
 * dead letter must hold. It shares no code with the job beyond the generated records.
 */
public final class ReferenceModel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ZoneId zone;
    private final long timeoutMs;
    private final long outOfOrdernessMs;
    private final long latenessMs;
    private final BigDecimal defaultStandard;

    /** The model of a job run with {@code config}'s zone, timeout, watermarks and default. */
    public static ReferenceModel of(JobConfig config) {
        return new ReferenceModel(
                config.weekZone(),
                config.callbackTimeout(),
                config.watermarkOutOfOrderness(),
                config.allowedLateness(),
                config.standardDefault());
    }

    public ReferenceModel(
            ZoneId zone,
            Duration timeout,
            Duration outOfOrderness,
            Duration lateness,
            BigDecimal defaultStandard) {
        this.zone = zone;
        this.timeoutMs = timeout.toMillis();
        this.outOfOrdernessMs = outOfOrderness.toMillis();
        this.latenessMs = lateness.toMillis();
        this.defaultStandard = defaultStandard;
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

    /** The expected rows, keyed by "developerId/weekStart", and the events that are too late. */
    public record Expected(Map<String, Row> rows, List<GeneratedEvent> tooLate) {
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
        List<GeneratedEvent> tooLate = new ArrayList<>();
        long maxSeen = Long.MIN_VALUE;
        for (Line line : events) {
            GeneratedEvent event = line.event();
            if (event == null) {
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
        return new Expected(rows, tooLate);
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
