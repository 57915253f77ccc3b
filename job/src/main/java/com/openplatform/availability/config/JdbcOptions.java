package com.openplatform.availability.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the result tables live. Immutable; no password (neither {@code --jdbc.password} nor one in
 * the URL) shows in {@link #toString()}.
 *
 * <p>Every connection the job opens uses {@link #connectionUrl()}, not the URL as given. For MySQL
 * and MariaDB that URL pins the session time zone to {@code '+00:00'}, so that {@code TIMESTAMP}
 * columns hold instants whatever the server's or the JVM's zone, and lets MariaDB Connector/J (the
 * driver shipped in the job jar) accept {@code jdbc:mysql:} URLs.
 */
public final class JdbcOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The SQL dialect, chosen by the JDBC URL. */
    public enum Dialect {
        POSTGRESQL,
        MYSQL
    }

    /** The session time zone of every MySQL/MariaDB connection of the job. */
    public static final String MYSQL_SESSION_TIME_ZONE = "'+00:00'";

    private static final String SESSION_VARIABLES = "sessionVariables";
    private static final String PERMIT_MYSQL_SCHEME = "permitMysqlScheme";

    /** Driver options that would set another session time zone or convert instants themselves. */
    private static final Set<String> TIME_ZONE_OPTIONS =
            Set.of(
                    "connectiontimezone",
                    "forceconnectiontimezonetosession",
                    "preserveinstants",
                    "servertimezone",
                    "timezone");

    /** Driver options whose value is a secret: password, sslpassword, trustStorePassword, … */
    private static final Pattern PASSWORD_OPTION =
            Pattern.compile("(?i)([?&;][^=&;?]*(?:password|pwd)=)[^&;]*");

    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@?]+:)[^/@?]*@");

    /**
     * Seconds (pgjdbc's unit). The server cancels a statement after 30 s, before the client's
     * socket timeout gives up on the connection (60 s).
     */
    private static final Map<String, String> POSTGRESQL_TIMEOUTS =
            orderedMap(
                    "connectTimeout", "10",
                    "loginTimeout", "20",
                    "socketTimeout", "60",
                    "options", "-c%20statement_timeout%3D30s");

    /**
     * Milliseconds (MariaDB Connector/J's unit). No statement timeout: MySQL and MariaDB name it
     * differently; the socket timeout bounds a statement too.
     */
    private static final Map<String, String> MYSQL_TIMEOUTS =
            orderedMap("connectTimeout", "10000", "socketTimeout", "60000");

    private final String url;
    private final String user;
    private final String password;

    public JdbcOptions(String url, String user, String password) {
        this.url = Objects.requireNonNull(url, "url");
        this.user = user;
        this.password = password;
        connectionUrl();
    }

    /** The URL as configured ({@code --jdbc.url}). */
    public String url() {
        return url;
    }

    /** The URL as configured, with any password in it replaced by {@code ***}: for logs. */
    public String redactedUrl() {
        return redact(url);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    public Dialect dialect() {
        if (url.startsWith("jdbc:postgresql:")) {
            return Dialect.POSTGRESQL;
        }
        if (url.startsWith("jdbc:mysql:") || url.startsWith("jdbc:mariadb:")) {
            return Dialect.MYSQL;
        }
        throw new ConfigException(
                "--jdbc.url must start with jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:, found "
                        + redact(url));
    }

    /** The JDBC driver class for the dialect. */
    public String driverClass() {
        return dialect() == Dialect.POSTGRESQL
                ? "org.postgresql.Driver"
                : "org.mariadb.jdbc.Driver";
    }

    /**
     * The URL the job connects with: the configured URL plus the job's timeouts, each only where
     * the URL does not set that option itself. PostgreSQL: {@code connectTimeout}, {@code
     * loginTimeout}, {@code socketTimeout} and, through {@code options}, the session's {@code
     * statement_timeout} ({@code TIMESTAMPTZ} columns hold instants in any session zone).
     * MySQL/MariaDB: {@code connectTimeout} and {@code socketTimeout}, {@code
     * sessionVariables=time_zone='+00:00'} (merged into the URL's own {@code sessionVariables})
     * and, for a {@code jdbc:mysql:} URL, {@code permitMysqlScheme}.
     *
     * <p>The timeouts make a database that stops answering an error within a minute instead of a
     * connection that hangs forever: a sink then fails its task, and the job restarts until the
     * database is back.
     *
     * @throws ConfigException if the URL sets the session time zone or driver-side time zone
     *     conversions itself
     */
    public String connectionUrl() {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        List<String> options = new ArrayList<>();
        if (query >= 0) {
            for (String option : url.substring(query + 1).split("&")) {
                if (!option.isEmpty()) {
                    options.add(option);
                }
            }
        }
        Set<String> given = new HashSet<>();
        for (String option : options) {
            given.add(key(option).toLowerCase(Locale.ROOT));
        }
        if (dialect() == Dialect.MYSQL) {
            pinTimeZone(options, given);
        }
        Map<String, String> timeouts =
                dialect() == Dialect.POSTGRESQL ? POSTGRESQL_TIMEOUTS : MYSQL_TIMEOUTS;
        timeouts.forEach(
                (key, value) -> {
                    if (!given.contains(key.toLowerCase(Locale.ROOT))) {
                        options.add(key + "=" + value);
                    }
                });
        return options.isEmpty() ? base : base + "?" + String.join("&", options);
    }

    private void pinTimeZone(List<String> options, Set<String> given) {
        boolean sessionVariables = false;
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            String key = key(option);
            String value = option.substring(key.length()).replaceFirst("^=", "");
            if (TIME_ZONE_OPTIONS.contains(key.toLowerCase(Locale.ROOT))) {
                throw timeZoneConflict(key);
            }
            if (key.equalsIgnoreCase(SESSION_VARIABLES)) {
                if (value.toLowerCase(Locale.ROOT).contains("time_zone")) {
                    throw timeZoneConflict(SESSION_VARIABLES + " time_zone");
                }
                options.set(i, option + (value.isEmpty() ? "" : ",") + timeZoneVariable());
                sessionVariables = true;
            }
        }
        if (!sessionVariables) {
            options.add(SESSION_VARIABLES + "=" + timeZoneVariable());
        }
        if (url.startsWith("jdbc:mysql:")
                && !given.contains(PERMIT_MYSQL_SCHEME.toLowerCase(Locale.ROOT))) {
            options.add(PERMIT_MYSQL_SCHEME);
        }
    }

    private static String key(String option) {
        int eq = option.indexOf('=');
        return eq < 0 ? option : option.substring(0, eq);
    }

    /**
     * {@code url} with the values of its password options and of a {@code user:password@} authority
     * replaced by {@code ***}: for logs, exceptions and the web UI.
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        return PASSWORD_OPTION
                .matcher(USER_INFO_PASSWORD.matcher(url).replaceAll("$1***@"))
                .replaceAll("$1***");
    }

    private static String timeZoneVariable() {
        return "time_zone=" + MYSQL_SESSION_TIME_ZONE;
    }

    private static ConfigException timeZoneConflict(String option) {
        return new ConfigException(
                "--jdbc.url must not set "
                        + option
                        + ": the job's MySQL/MariaDB sessions always use time_zone "
                        + MYSQL_SESSION_TIME_ZONE
                        + " so that TIMESTAMP columns hold instants");
    }

    @Override
    public String toString() {
        return "JdbcOptions{url="
                + redactedUrl()
                + ", user="
                + user
                + ", password="
                + (password == null ? "none" : "***")
                + '}';
    }
}
