package com.openplatform.availability.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The URL the job's connections use: what JdbcOptions adds to --jdbc.url, per dialect. */
class JdbcConnectionUrlTest {
    private static final String UTC = "sessionVariables=time_zone='+00:00'";
    private static final String MYSQL_TIMEOUTS = "&connectTimeout=10000&socketTimeout=60000";
    private static final String POSTGRESQL_TIMEOUTS =
            "connectTimeout=10&loginTimeout=20&socketTimeout=60"
                    + "&options=-c%20statement_timeout%3D30s";

    @Test
    void postgresqlUrlsGetConnectSocketAndStatementTimeouts() {
        assertEquals(
                "jdbc:postgresql://db:5432/ops?ssl=true&" + POSTGRESQL_TIMEOUTS,
                connectionUrl("jdbc:postgresql://db:5432/ops?ssl=true"));
        assertEquals(
                "jdbc:postgresql://db/ops?" + POSTGRESQL_TIMEOUTS,
                connectionUrl("jdbc:postgresql://db/ops"));
    }

    @Test
    void timeoutsTheUrlSetsItselfAreKept() {
        assertEquals(
                "jdbc:postgresql://db/ops?SocketTimeout=600&options=-c%20search_path%3Dops"
                        + "&connectTimeout=10&loginTimeout=20",
                connectionUrl(
                        "jdbc:postgresql://db/ops?SocketTimeout=600&options=-c%20search_path%3Dops"));
        assertEquals(
                "jdbc:mariadb://db/ops?connectTimeout=2000&" + UTC + "&socketTimeout=60000",
                connectionUrl("jdbc:mariadb://db/ops?connectTimeout=2000"));
    }

    @Test
    void passwordsInTheUrlNeverShowInToStringOrErrors() {
        JdbcOptions jdbc =
                new JdbcOptions(
                        "jdbc:postgresql://db/ops?user=ops&password=s3cret&sslpassword=k3y",
                        "ops",
                        null);
        assertEquals(
                "JdbcOptions{url=jdbc:postgresql://db/ops?user=ops&password=***&sslpassword=***,"
                        + " user=ops, password=none}",
                jdbc.toString());
        assertEquals(
                "jdbc:mysql://ops:***@db/ops?trustStorePassword=***&a=b",
                JdbcOptions.redact("jdbc:mysql://ops:s3cret@db/ops?trustStorePassword=t&a=b"));
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> new JdbcOptions("jdbc:oracle:thin:@db?password=s3cret", "u", null));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
    }

    @Test
    void mariadbSessionsArePinnedToUtc() {
        assertEquals(
                "jdbc:mariadb://db:3306/ops?" + UTC + MYSQL_TIMEOUTS,
                connectionUrl("jdbc:mariadb://db:3306/ops"));
        assertEquals(
                "jdbc:mariadb://db/ops?useSsl=true&" + UTC + MYSQL_TIMEOUTS,
                connectionUrl("jdbc:mariadb://db/ops?useSsl=true"));
    }

    @Test
    void mysqlUrlsAreAcceptedByMariadbConnectorJ() {
        assertEquals(
                "jdbc:mysql://db:3306/ops?" + UTC + "&permitMysqlScheme" + MYSQL_TIMEOUTS,
                connectionUrl("jdbc:mysql://db:3306/ops"));
        assertEquals(
                "jdbc:mysql://db/ops?permitMysqlScheme&" + UTC + MYSQL_TIMEOUTS,
                connectionUrl("jdbc:mysql://db/ops?permitMysqlScheme"));
    }

    @Test
    void ownSessionVariablesAreKept() {
        assertEquals(
                "jdbc:mariadb://db/ops?sessionVariables=sql_mode='ANSI',time_zone='+00:00'&a=b"
                        + MYSQL_TIMEOUTS,
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
