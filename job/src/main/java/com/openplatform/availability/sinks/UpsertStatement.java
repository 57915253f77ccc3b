package com.openplatform.availability.sinks;

import com.openplatform.availability.config.JdbcOptions.Dialect;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code INSERT} with its conflict clause, in two forms that write the same: one row's values as
 * parameters ({@link #sql()}), and on PostgreSQL many rows copied into a staging table and merged
 * by one statement ({@link #staging()}), which the server executes at a fraction of the cost of the
 * same rows as parameters (docs/benchmarks.md).
 *
 * <p>Each column's value is either bound ({@code ?}: the binder's values, in the columns' order) or
 * an SQL expression such as {@code CURRENT_TIMESTAMP(3)}.
 */
public final class UpsertStatement implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A bound value. */
    public static final String BOUND = "?";

    private final Dialect dialect;
    private final String table;
    private final String alias;
    private final List<String> columns = new ArrayList<>();
    private final List<String> values = new ArrayList<>();
    private String conflict = "";

    private UpsertStatement(Dialect dialect, String table, String alias) {
        this.dialect = dialect;
        this.table = table;
        this.alias = alias;
    }

    /**
     * @param alias the table's name in the conflict clause, or null
     */
    public static UpsertStatement insertInto(Dialect dialect, String table, String alias) {
        return new UpsertStatement(dialect, table, alias);
    }

    /** Columns whose values are bound, in the binder's order. */
    public UpsertStatement bound(String... boundColumns) {
        for (String column : boundColumns) {
            value(column, BOUND);
        }
        return this;
    }

    /** A column's value: {@link #BOUND} or an SQL expression. */
    public UpsertStatement value(String column, String expression) {
        columns.add(column);
        values.add(expression);
        return this;
    }

    /** What follows the values: {@code ON CONFLICT …} or {@code ON DUPLICATE KEY UPDATE …}. */
    public UpsertStatement onConflict(String clause) {
        this.conflict = " " + clause;
        return this;
    }

    public String table() {
        return table;
    }

    /** The statement of one row, its values as parameters. */
    public String sql() {
        return into() + " VALUES (" + String.join(", ", values) + ")" + conflict;
    }

    private String into() {
        return "INSERT INTO "
                + table
                + (alias == null ? "" : " AS " + alias)
                + " ("
                + String.join(", ", columns)
                + ")";
    }

    /** The statements of many rows at a time, or null where there are none (MySQL/MariaDB). */
    public Staging staging() {
        if (dialect != Dialect.POSTGRESQL) {
            return null;
        }
        String stage = table + "_staged";
        List<String> bound = new ArrayList<>();
        List<String> selected = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            boolean isBound = BOUND.equals(values.get(i));
            if (isBound) {
                bound.add(columns.get(i));
            }
            selected.add(isBound ? columns.get(i) : values.get(i));
        }
        String boundColumns = String.join(", ", bound);
        return new Staging(
                stage,
                // A session's own table, emptied at every commit; no constraints, so that the
                // merge, not the copy, decides what is refused.
                "CREATE TEMPORARY TABLE IF NOT EXISTS "
                        + stage
                        + " ON COMMIT DELETE ROWS AS SELECT "
                        + boundColumns
                        + " FROM "
                        + table
                        + " WITH NO DATA",
                "COPY " + stage + " (" + boundColumns + ") FROM STDIN",
                into() + " SELECT " + String.join(", ", selected) + " FROM " + stage + conflict);
    }

    /**
     * PostgreSQL's form: {@code create} makes the session's staging table, {@code copy} fills it
     * ({@link CopyText}), {@code merge} writes its rows into the table.
     */
    public record Staging(String table, String create, String copy, String merge)
            implements Serializable {}

    @Override
    public String toString() {
        return sql();
    }
}
