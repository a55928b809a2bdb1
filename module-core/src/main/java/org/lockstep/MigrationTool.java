package org.lockstep;

import java.util.Locale;
import java.util.Optional;

/**
 * Another migration tool whose history {@link Migrator#adopt(AdoptFrom)} can take over: its
 * name, the table it keeps its history in by default, and whether that history records a
 * checksum of each script, against which adoption verifies the local files.
 */
public enum MigrationTool {
    /**
     * Flyway: {@code flyway_schema_history}, one row per applied migration with {@code success},
     * and a CRC32 checksum that adoption recomputes from the local file as Flyway reads it.
     */
    FLYWAY("flyway", "flyway_schema_history", true),
    /** sqlx: {@code _sqlx_migrations}, one row per applied migration with a SHA-384 checksum. */
    SQLX("sqlx", "_sqlx_migrations", true),
    /** goose: {@code goose_db_version}, a row per up and down; the latest per version counts. No checksum. */
    GOOSE("goose", "goose_db_version", false),
    /**
     * golang-migrate: {@code schema_migrations(version, dirty)}, one version meaning every
     * migration up to it is applied. No checksum.
     */
    GOLANG_MIGRATE("golang-migrate", "schema_migrations", false),
    /** dbmate: {@code schema_migrations(version)}, one row per applied migration. No checksum. */
    DBMATE("dbmate", "schema_migrations", false);

    private final String shownName;
    private final String defaultTable;
    private final boolean recordsChecksums;

    MigrationTool(String shownName, String defaultTable, boolean recordsChecksums) {
        this.shownName = shownName;
        this.defaultTable = defaultTable;
        this.recordsChecksums = recordsChecksums;
    }

    /** Returns the table this tool keeps its history in unless told otherwise. */
    public String defaultTable() {
        return defaultTable;
    }

    /** Returns whether this tool's history records a checksum of each script, which adoption verifies. */
    public boolean recordsChecksums() {
        return recordsChecksums;
    }

    /** Returns the tool's name as its users write it, e.g. {@code golang-migrate}. */
    @Override
    public String toString() {
        return shownName;
    }

    /**
     * Returns the tool of a name as {@link #toString()} gives it, in any case.
     *
     * @param name a name such as {@code flyway} or {@code golang-migrate}
     * @return the tool, or empty if no tool has that name
     */
    public static Optional<MigrationTool> named(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        for (MigrationTool tool : values()) {
            if (tool.shownName.equals(wanted)) {
                return Optional.of(tool);
            }
        }
        return Optional.empty();
    }
}
