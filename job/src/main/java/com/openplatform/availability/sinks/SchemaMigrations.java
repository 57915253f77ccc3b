package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JdbcOptions;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and migrates the result tables with versioned Flyway migrations, before the job writes.
 * The scripts are {@code db/migration/<dialect>/V<n>__*.sql} in the job jar.
 */
public final class SchemaMigrations {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {}

    /** Brings the schema to the newest version; returns that version. */
    public static String migrate(JdbcOptions jdbc) {
        return migrate(jdbc, MigrationVersion.LATEST);
    }

    /** Brings the schema to {@code target}, e.g. an older version to test a migration on. */
    static String migrate(JdbcOptions jdbc, MigrationVersion target) {
        Flyway flyway =
                Flyway.configure(SchemaMigrations.class.getClassLoader())
                        .dataSource(jdbc.connectionUrl(), jdbc.user(), jdbc.password())
                        .driver(jdbc.driverClass())
                        .locations("classpath:db/migration/" + jdbc.dialect().name().toLowerCase())
                        .table("availability_schema_history")
                        .baselineOnMigrate(false)
                        .target(target)
                        .load();
        MigrateResult result = flyway.migrate();
        String version =
                result.targetSchemaVersion != null
                        ? result.targetSchemaVersion
                        : flyway.info().current().getVersion().getVersion();
        LOG.info(
                "Result schema at version {} ({} migrations applied) on {}",
                version,
                result.migrationsExecuted,
                jdbc.redactedUrl());
        return version;
    }
}
