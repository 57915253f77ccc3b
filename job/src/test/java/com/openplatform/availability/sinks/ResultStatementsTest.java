package com.openplatform.availability.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openplatform.availability.config.JdbcOptions.Dialect;
import com.openplatform.availability.records.AlertRequest;
import com.openplatform.availability.records.FailureReason;
import com.openplatform.availability.records.WechatBinding;
import com.openplatform.availability.records.WeeklyCounts;
import com.openplatform.availability.records.WeeklyResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResultStatementsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final List<String> DATA_COLUMNS =
            List.of(
                    "total_count",
                    "failed_count",
                    "connect_error_count",
                    "timeout_count",
                    "http_error_count",
                    "bad_response_count",
                    "main_failure_reason",
                    "availability",
                    "standard",
                    "satisfied",
                    "callback_type_counts",
                    "latency_p50_ms",
                    "latency_p95_ms",
                    "latency_p99_ms",
                    "peak_hour_start_at",
                    "peak_hour_count",
                    "worst_hour_start_at",
                    "worst_hour_failed",
                    "worst_hour_total");

    private static WeeklyCounts counts() {
        WeeklyCounts counts = new WeeklyCounts(7, 1_763_308_800_000L, 1_763_913_600_000L);
        counts.count("refund", null);
        counts.count("order.push", FailureReason.TIMEOUT);
        counts.count("order.push", null);
        counts.count("a\"quoted\\type", FailureReason.HTTP_ERROR);
        return counts;
    }

    private static WeeklyResult result() {
        return WeeklyResult.judge(counts(), "2025-11-17", new BigDecimal("0.995"));
    }

    private static int placeholders(String sql) {
        return (int) sql.chars().filter(c -> c == '?').count();
    }

    /** The column list of an INSERT: the names between the first parentheses. */
    private static List<String> insertColumns(String sql) {
        String list = sql.substring(sql.indexOf('(') + 1, sql.indexOf(')'));
        return Arrays.stream(list.split(",")).map(String::trim).toList();
    }

    /** The value list of an INSERT: the expressions between the parentheses after VALUES. */
    private static List<String> insertValues(String sql) {
        int values = sql.indexOf("VALUES (") + "VALUES (".length();
        int depth = 1;
        int end = values;
        while (depth > 0) {
            char c = sql.charAt(end++);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        List<String> expressions = new ArrayList<>();
        int start = values;
        depth = 0;
        for (int i = values; i < end - 1; i++) {
            char c = sql.charAt(i);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            if (c == ',' && depth == 0) {
                expressions.add(sql.substring(start, i).trim());
                start = i + 1;
            }
        }
        expressions.add(sql.substring(start, end - 1).trim());
        return expressions;
    }

    /** Records the parameter indexes a binder sets. */
    private static List<Integer> boundIndexes(Binder binder) throws Exception {
        List<Integer> indexes = new ArrayList<>();
        PreparedStatement statement =
                (PreparedStatement)
                        Proxy.newProxyInstance(
                                PreparedStatement.class.getClassLoader(),
                                new Class<?>[] {PreparedStatement.class},
                                (proxy, method, args) -> {
                                    if (method.getName().startsWith("set")) {
                                        indexes.add((Integer) args[0]);
                                        return null;
                                    }
                                    throw new UnsupportedOperationException(method.getName());
                                });
        binder.bind(statement);
        return indexes;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement) throws Exception;
    }

    private static List<Integer> oneTo(int n) {
        return Stream.iterate(1, i -> i + 1).limit(n).toList();
    }

    @Test
    void postgresUpsertUpdatesOnlyAChangedRowAndCountsTheRevision() {
        String sql = ResultStatements.upsertWeeklyAvailability(Dialect.POSTGRESQL).sql();

        assertTrue(sql.startsWith("INSERT INTO weekly_availability AS w ("), sql);
        assertTrue(sql.contains(" ON CONFLICT (developer_id, week_start) DO UPDATE SET "), sql);
        for (String column : DATA_COLUMNS) {
            assertTrue(sql.contains(column + " = EXCLUDED." + column), column);
        }
        assertTrue(sql.contains("revision = w.revision + 1"), sql);
        String where = sql.substring(sql.lastIndexOf(" WHERE "));
        assertTrue(where.contains(") IS DISTINCT FROM ("), where);
        for (String content :
                List.of(
                        "total_count",
                        "standard",
                        "satisfied",
                        "callback_type_counts",
                        "latency_p99_ms",
                        "peak_hour_start_at",
                        "worst_hour_total")) {
            assertTrue(where.contains("w." + content), content);
            assertTrue(where.contains("EXCLUDED." + content), content);
        }
        assertFalse(sql.contains("ON DUPLICATE KEY"), sql);
    }

    @Test
    void mysqlUpsertRaisesTheRevisionBeforeTheContentIsOverwritten() {
        String sql = ResultStatements.upsertWeeklyAvailability(Dialect.MYSQL).sql();

        assertTrue(sql.startsWith("INSERT INTO weekly_availability ("), sql);
        int update = sql.indexOf(" ON DUPLICATE KEY UPDATE ");
        assertTrue(update > 0, sql);
        String assignments = sql.substring(update);
        int revision = assignments.indexOf("revision = IF(NOT (");
        int updatedAt = assignments.indexOf("updated_at = IF(NOT (");
        int firstContent = assignments.indexOf("total_count = VALUES(total_count)");
        assertTrue(revision > 0 && updatedAt > revision && firstContent > updatedAt, assignments);
        assertTrue(assignments.contains(", revision + 1, revision)"), assignments);
        assertTrue(assignments.contains("standard <=> VALUES(standard)"), assignments);
        assertTrue(
                assignments.contains("worst_hour_start_at <=> VALUES(worst_hour_start_at)"),
                assignments);
        for (String column : DATA_COLUMNS) {
            assertTrue(sql.contains(column + " = VALUES(" + column + ")"), column);
        }
        assertFalse(sql.contains("EXCLUDED"), sql);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void upsertInsertsAValueForEveryColumnWithRevisionOne(Dialect dialect) {
        String sql = ResultStatements.upsertWeeklyAvailability(dialect).sql();

        List<String> columns = insertColumns(sql);
        List<String> values = insertValues(sql);

        assertEquals(columns.size(), values.size(), sql);
        assertEquals("developer_id", columns.get(0));
        assertEquals("week_start", columns.get(1));
        assertEquals("1", values.get(columns.indexOf("revision")));
        assertEquals("?", values.get(columns.indexOf("callback_type_counts")));
    }

    @Test
    void bothDialectsTakeTheSameParametersInTheSameOrder() {
        String postgres = ResultStatements.upsertWeeklyAvailability(Dialect.POSTGRESQL).sql();
        String mysql = ResultStatements.upsertWeeklyAvailability(Dialect.MYSQL).sql();

        assertEquals(insertColumns(postgres), insertColumns(mysql));
        assertEquals(insertValues(postgres), insertValues(mysql));
        assertEquals(23, placeholders(postgres));
        assertEquals(23, placeholders(mysql));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void bindWeeklySetsEveryPlaceholderOnce(Dialect dialect) throws Exception {
        String sql = ResultStatements.upsertWeeklyAvailability(dialect).sql();

        List<Integer> bound =
                boundIndexes(s -> ResultStatements.bindWeekly(RowValues.of(s), result()));

        assertEquals(oneTo(placeholders(sql)), bound);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void alertInsertLeavesAnExistingLedgerRowAlone(Dialect dialect) throws Exception {
        String sql = ResultStatements.insertAlert(dialect).sql();

        assertTrue(sql.startsWith("INSERT INTO alert_delivery ("), sql);
        assertTrue(
                sql.endsWith(
                        dialect == Dialect.POSTGRESQL
                                ? " ON CONFLICT DO NOTHING"
                                : " ON DUPLICATE KEY UPDATE developer_id = developer_id"),
                sql);
        assertEquals(insertColumns(sql).size(), insertValues(sql).size(), sql);
        assertEquals("0", insertValues(sql).get(insertColumns(sql).indexOf("attempts")));

        AlertRequest alert =
                AlertRequest.forBreach(
                        result(),
                        new WechatBinding(7, "oX3f", true, "primary", "isv", 1),
                        ZoneId.of("Asia/Shanghai"));
        assertEquals(
                oneTo(placeholders(sql)),
                boundIndexes(s -> ResultStatements.bindAlert(RowValues.of(s), alert)));
        AlertRequest noRecipient =
                AlertRequest.forBreach(result(), null, ZoneId.of("Asia/Shanghai"));
        assertEquals(
                oneTo(placeholders(sql)),
                boundIndexes(s -> ResultStatements.bindAlert(RowValues.of(s), noRecipient)));
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyColumnWrittenExistsInTheMigrations(Dialect dialect) throws Exception {
        String migrations = migrations(dialect);

        for (String sql :
                List.of(
                        ResultStatements.upsertWeeklyAvailability(dialect).sql(),
                        ResultStatements.insertAlert(dialect).sql())) {
            for (String column : insertColumns(sql)) {
                assertTrue(
                        migrations.matches("(?s).*\\b" + column + "\\b.*"),
                        () -> column + " is not in the " + dialect + " migrations");
            }
        }
    }

    private static String migrations(Dialect dialect) throws URISyntaxException, IOException {
        Path dir =
                Paths.get(
                        ResultStatements.class
                                .getClassLoader()
                                .getResource("db/migration/" + dialect.name().toLowerCase())
                                .toURI());
        try (Stream<Path> scripts = Files.list(dir)) {
            return scripts.sorted()
                    .map(
                            p -> {
                                try {
                                    return Files.readString(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            })
                    .collect(Collectors.joining("\n"));
        }
    }

    @Test
    void callbackTypesJsonIsSortedByTypeWithTotalAndFailed() throws Exception {
        String json = ResultStatements.callbackTypesJson(counts());

        JsonNode node = JSON.readTree(json);
        List<String> types = new ArrayList<>();
        node.fieldNames().forEachRemaining(types::add);
        assertEquals(List.of("a\"quoted\\type", "order.push", "refund"), types);
        assertEquals(2, node.get("order.push").get("total").asLong());
        assertEquals(1, node.get("order.push").get("failed").asLong());
        assertEquals(0, node.get("refund").get("failed").asLong());
    }

    @Test
    void callbackTypesJsonEscapesQuotesAndBackslashes() {
        String json = ResultStatements.callbackTypesJson(counts());

        assertTrue(json.startsWith("{\"a\\\"quoted\\\\type\":{\"total\":1,\"failed\":1}"), json);
    }

    @Test
    void callbackTypesJsonIsTheSameWhateverTheCountingOrder() {
        WeeklyCounts reversed = new WeeklyCounts(7, 1_763_308_800_000L, 1_763_913_600_000L);
        reversed.count("a\"quoted\\type", FailureReason.HTTP_ERROR);
        reversed.count("order.push", null);
        reversed.count("order.push", FailureReason.TIMEOUT);
        reversed.count("refund", null);

        assertEquals(
                ResultStatements.callbackTypesJson(counts()),
                ResultStatements.callbackTypesJson(reversed));
    }

    @Test
    void weekWithNoTypesIsAnEmptyObject() {
        assertEquals("{}", ResultStatements.callbackTypesJson(new WeeklyCounts()));
    }

    @Test
    void weekStartIsBoundAsALocalDate() throws Exception {
        Map<Integer, Object> values = new TreeMap<>();
        PreparedStatement statement =
                (PreparedStatement)
                        Proxy.newProxyInstance(
                                PreparedStatement.class.getClassLoader(),
                                new Class<?>[] {PreparedStatement.class},
                                (proxy, method, args) -> {
                                    values.put((Integer) args[0], args.length > 1 ? args[1] : null);
                                    return null;
                                });

        ResultStatements.bindWeekly(RowValues.of(statement), result());

        assertEquals(7L, values.get(1));
        assertEquals(LocalDate.parse("2025-11-17"), values.get(2));
        assertEquals(ResultStatements.callbackTypesJson(counts()), values.get(15));
    }
}
