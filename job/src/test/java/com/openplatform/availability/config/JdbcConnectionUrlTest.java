package com.openplatform.availability.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The URL the job's connections use: what JdbcOptions adds to --jdbc.url, per dialect. */
class JdbcConnectionUrlTest {
    private static final String UTC = "sessionVariables=time_zone='+00:00'";

    @Test
    void postgresqlUrlsAreUsedAsGiven() {
        String url = "jdbc:postgresql://db:5432/ops?ssl=true";
        assertEquals(url, connectionUrl(url));
    }

    @Test
    void mariadbSessionsArePinnedToUtc() {
        assertEquals(
                "jdbc:mariadb://db:3306/ops?" + UTC, connectionUrl("jdbc:mariadb://db:3306/ops"));
        assertEquals(
                "jdbc:mariadb://db/ops?useSsl=true&" + UTC,
                connectionUrl("jdbc:mariadb://db/ops?useSsl=true"));
    }

    @Test
    void mysqlUrlsAreAcceptedByMariadbConnectorJ() {
        assertEquals(
                "jdbc:mysql://db:3306/ops?" + UTC + "&permitMysqlScheme",
                connectionUrl("jdbc:mysql://db:3306/ops"));
        assertEquals(
                "jdbc:mysql://db/ops?permitMysqlScheme&" + UTC,
                connectionUrl("jdbc:mysql://db/ops?permitMysqlScheme"));
    }

    @Test
    void ownSessionVariablesAreKept() {
        assertEquals(
                "jdbc:mariadb://db/ops?sessionVariables=sql_mode='ANSI',time_zone='+00:00'&a=b",
                connectionUrl("jdbc:mariadb://db/ops?sessionVariables=sql_mode='ANSI'&a=b"));
    }

    @Test
    void anotherSessionTimeZoneIsRejectedNamingTheFlag() {
        for (String url :
                new String[] {
                    "jdbc:mariadb://db/ops?sessionVariables=time_zone='+08:00'",
                    "jdbc:mysql://db/ops?connectionTimeZone=Asia/Shanghai",
                    "jdbc:mysql://db/ops?serverTimezone=UTC",
                    "jdbc:mariadb://db/ops?forceConnectionTimeZoneToSession=true",
                    "jdbc:mariadb://db/ops?preserveInstants=true"
                }) {
            ConfigException e =
                    assertThrows(ConfigException.class, () -> new JdbcOptions(url, "u", null));
            assertTrue(e.getMessage().startsWith("--jdbc.url"), e.getMessage());
        }
    }

    @Test
    void theConfiguredUrlAndToStringStayAsGiven() {
        JdbcOptions jdbc = new JdbcOptions("jdbc:mysql://db/ops", "ops", "secret");
        assertEquals("jdbc:mysql://db/ops", jdbc.url());
        assertEquals(
                "JdbcOptions{url=jdbc:mysql://db/ops, user=ops, password=***}", jdbc.toString());
    }

    private static String connectionUrl(String url) {
        return new JdbcOptions(url, null, null).connectionUrl();
    }
}
