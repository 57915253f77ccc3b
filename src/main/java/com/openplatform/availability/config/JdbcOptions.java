package com.openplatform.availability.config;

import java.io.Serializable;
import java.util.Objects;

/** Where the result tables live. Immutable; the password never shows in {@link #toString()}. */
public final class JdbcOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The SQL dialect, chosen by the JDBC URL. */
    public enum Dialect {
        POSTGRESQL,
        MYSQL
    }

    private final String url;
    private final String user;
    private final String password;

    public JdbcOptions(String url, String user, String password) {
        this.url = Objects.requireNonNull(url, "url");
        this.user = user;
        this.password = password;
        dialect();
    }

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
