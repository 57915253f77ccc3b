package com.openplatform.availability.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where the result tables live. Immutable; the password never shows in {@link #toString()}.
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

    public String user() {
        return user;
    }

    public String password() {
        return password;
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
                        + url);
    }

    /** The JDBC driver class for the dialect. */
    public String driverClass() {
        return dialect() == Dialect.POSTGRESQL
                ? "org.postgresql.Driver"
                : "org.mariadb.jdbc.Driver";
    }

    /**
     * The URL the job connects with. PostgreSQL: the configured URL ({@code TIMESTAMPTZ} columns
     * hold instants in any session zone). MySQL/MariaDB: the configured URL plus {@code
     * sessionVariables=time_zone='+00:00'} (merged into the URL's own {@code sessionVariables})
     * and, for a {@code jdbc:mysql:} URL, {@code permitMysqlScheme}.
     *
     * @throws ConfigException if the URL sets the session time zone or driver-side time zone
     *     conversions itself
     */
    public String connectionUrl() {
        if (dialect() == Dialect.POSTGRESQL) {
            return url;
        }
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
        boolean permitMysqlScheme = false;
        boolean sessionVariables = false;
        for (int i = 0; i < options.size(); i++) {
            String option = options.get(i);
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq);
            String value = eq < 0 ? "" : option.substring(eq + 1);
            if (TIME_ZONE_OPTIONS.contains(key.toLowerCase(Locale.ROOT))) {
                throw timeZoneConflict(key);
            }
            if (key.equalsIgnoreCase(PERMIT_MYSQL_SCHEME)) {
                permitMysqlScheme = true;
            } else if (key.equalsIgnoreCase(SESSION_VARIABLES)) {
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
        if (url.startsWith("jdbc:mysql:") && !permitMysqlScheme) {
            options.add(PERMIT_MYSQL_SCHEME);
        }
        return base + "?" + String.join("&", options);
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
                + url
                + ", user="
                + user
                + ", password="
                + (password == null ? "none" : "***")
                + '}';
    }
}
