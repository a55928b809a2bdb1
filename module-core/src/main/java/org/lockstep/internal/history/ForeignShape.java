package org.lockstep.internal.history;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.lockstep.MigrationTool;

/**
 * How the history table of another migration tool is recognised by its columns, as each tool's
 * source creates it: the one place that knows, for adoption (which tool's history is this?)
 * and for the history table's own shape check (whose table holds Lockstep's name?).
 */
public final class ForeignShape {
    private ForeignShape() {}

    /**
     * Returns the tool whose history table has these columns, if one has.
     *
     * <ul>
     *   <li>Flyway: at least {@code installed_rank, version, type, script, checksum, success}
     *       (Flyway's {@code createMetaDataTable.sql} per database);
     *   <li>sqlx: at least {@code version, description, installed_on, success, checksum,
     *       execution_time} ({@code ensure_migrations_table} in {@code sqlx-sqlite} and
     *       {@code sqlx-postgres});
     *   <li>goose: at least {@code version_id, is_applied} ({@code internal/dialect/dialectquery});
     *   <li>golang-migrate: exactly {@code version, dirty} ({@code database/sqlite3},
     *       {@code database/postgres});
     *   <li>dbmate: exactly {@code version} ({@code CreateMigrationsTable}); Rails' table has
     *       the same shape.
     * </ul>
     *
     * @param columns the table's column names, in any case
     * @return the tool, or empty
     */
    public static Optional<MigrationTool> of(Collection<String> columns) {
        Set<String> names =
                columns.stream().map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        if (names.containsAll(List.of("installed_rank", "version", "type", "script", "checksum", "success"))) {
            return Optional.of(MigrationTool.FLYWAY);
        }
        if (names.containsAll(
                List.of("version", "description", "installed_on", "success", "checksum", "execution_time"))) {
            return Optional.of(MigrationTool.SQLX);
        }
        if (names.containsAll(List.of("version_id", "is_applied"))) {
            return Optional.of(MigrationTool.GOOSE);
        }
        if (names.equals(Set.of("version", "dirty"))) {
            return Optional.of(MigrationTool.GOLANG_MIGRATE);
        }
        if (names.equals(Set.of("version"))) {
            return Optional.of(MigrationTool.DBMATE);
        }
        return Optional.empty();
    }

    /**
     * Returns what to tell someone whose history table's name is held by another tool's
     * table: which tool it looks like, and how to adopt that history into another table.
     *
     * @param tool the tool the table looks like
     * @return a sentence to append to a message
     */
    public static String adoptInstead(MigrationTool tool) {
        return "It looks like " + tool + "'s history" + (tool == MigrationTool.DBMATE ? " (or Rails')" : "")
                + ". To switch to Lockstep, adopt it into a history table of another name: lockstep adopt"
                + " --history-table lockstep_history (historyTable(\"lockstep_history\") in the library), and give"
                + " that name to every later command; " + tool + "'s table stays as it is";
    }
}
