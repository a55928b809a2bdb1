package org.lockstep;

import java.util.Optional;

/**
 * The rules {@link Migrator#lint()} checks, each with a stable id, a level, what it finds and
 * how to fix it. A finding of any rule but {@link #NOT_TRANSACTIONAL} can be allowed on its
 * statement with a comment {@code -- lockstep:allow <id> <reason>}, the reason required.
 */
public enum LintRule {
    /** A table rebuild that loses an index the old table had. */
    REBUILD_LOSES_INDEX(
            "rebuild-loses-index",
            LintLevel.ERROR,
            "a table rebuild drops an index of the old table and does not create it again",
            "Dropping the old table drops its indexes. Create each index again after the rename"
                    + " (copy its CREATE INDEX from the old schema), or drop it explicitly with DROP INDEX"
                    + " if it is meant to go."),
    /** A table rebuild that loses a trigger the old table had. */
    REBUILD_LOSES_TRIGGER(
            "rebuild-loses-trigger",
            LintLevel.ERROR,
            "a table rebuild drops a trigger of the old table and does not create it again",
            "Dropping the old table drops its triggers. Create each trigger again after the rename,"
                    + " or drop it explicitly with DROP TRIGGER if it is meant to go."),
    /** A table rebuild that loses a UNIQUE, CHECK, PRIMARY KEY or FOREIGN KEY constraint. */
    REBUILD_LOSES_CONSTRAINT(
            "rebuild-loses-constraint",
            LintLevel.ERROR,
            "a table rebuild's new table lacks a UNIQUE, CHECK, PRIMARY KEY or FOREIGN KEY constraint of the old one",
            "Copy every constraint of the old table into the new table's CREATE TABLE (sqlite3's"
                    + " .schema TABLE shows them)."),
    /** A foreign key whose parent table or columns do not exist, or are not a key of the parent. */
    FOREIGN_KEY_TARGET(
            "foreign-key-target",
            LintLevel.ERROR,
            "a foreign key references a table or column that does not exist after the script, or columns"
                    + " that are not the parent's primary key or a unique key",
            "SQLite accepts such a key silently and fails every later write to the child table with"
                    + " 'foreign key mismatch'. Reference the parent's primary key or columns with a UNIQUE"
                    + " constraint, and create the parent in the same or an earlier script."),
    /** {@code ADD COLUMN ... NOT NULL} without a non-null default. */
    ADD_COLUMN_NOT_NULL(
            "add-column-not-null",
            LintLevel.ERROR,
            "ALTER TABLE ... ADD COLUMN ... NOT NULL without a non-null DEFAULT on an existing table",
            "SQLite accepts it on an empty table and fails on a table with rows. Give the column a"
                    + " DEFAULT, or add it nullable, backfill it, and make it NOT NULL in a rebuild."),
    /** A column made NOT NULL in a rebuild whose copy would fail on existing NULLs. */
    REBUILD_NOT_NULL(
            "rebuild-not-null",
            LintLevel.ERROR,
            "a table rebuild makes a column NOT NULL, but its copy would insert NULL from existing rows",
            "Copy the column with coalesce(column, value), or UPDATE the old table's NULLs first."),
    /** A new unique index on a table that already existed. */
    UNIQUE_INDEX_ON_EXISTING_TABLE(
            "unique-index-on-existing-table",
            LintLevel.WARNING,
            "a new UNIQUE index or constraint on a table that existed before the script",
            "Existing rows may violate it, and the deploy then fails. Check for duplicates first, or"
                    + " remove them in the same script."),
    /** A table dropped. */
    DROP_TABLE(
            "drop-table",
            LintLevel.WARNING,
            "a table that existed before the script is dropped",
            "During a rolling deploy the previous release still runs and uses the table. Stop using"
                    + " it in one release and drop it in a later one."),
    /** A column dropped, with DROP COLUMN or by a rebuild. */
    DROP_COLUMN(
            "drop-column",
            LintLevel.WARNING,
            "a column that existed before the script is dropped (ALTER TABLE ... DROP COLUMN, or left out of a rebuild)",
            "During a rolling deploy the previous release still runs and uses the column. Stop using"
                    + " it in one release and drop it in a later one."),
    /** A table renamed. */
    RENAME_TABLE(
            "rename-table",
            LintLevel.WARNING,
            "a table that existed before the script is renamed",
            "The previous release, still running during a rolling deploy, uses the old name. Add the"
                    + " new table (or a view under the new name), move the code, then remove the old one."),
    /** A column renamed. */
    RENAME_COLUMN(
            "rename-column",
            LintLevel.WARNING,
            "a column that existed before the script is renamed",
            "The previous release, still running during a rolling deploy, uses the old name. Add the"
                    + " new column, write both, move the code, then drop the old one."),
    /** Syntax newer than the oldest SQLite the scripts are deployed to. */
    NEWER_SQLITE(
            "newer-sqlite",
            LintLevel.ERROR,
            "syntax that needs a newer SQLite than the oldest one deployed to (--sqlite-version)",
            "Write it the way older SQLite can run (a table rebuild instead of DROP COLUMN or RENAME"
                    + " COLUMN, a separate SELECT instead of RETURNING), or raise the oldest version."),
    /** A statement migrate refuses: one that cannot run inside the deploy's transaction. */
    NOT_TRANSACTIONAL(
            "not-transactional",
            LintLevel.ERROR,
            "a statement migrate refuses because it cannot run inside the deploy's transaction",
            "Run VACUUM, PRAGMA journal_mode, ATTACH and transaction control outside Lockstep. Cannot"
                    + " be allowed."),
    /** A statement that fails when the scripts are replayed into an empty database. */
    REPLAY_FAILED(
            "replay-failed",
            LintLevel.ERROR,
            "a statement fails when the scripts are replayed in order into an empty in-memory database",
            "Fix the statement; SQLite's message says why. If it needs something only the application"
                    + " provides (a function, an extension), allow it with a reason."),
    /** An allow comment without a reason, or naming no rule. */
    BAD_ALLOW(
            "bad-allow",
            LintLevel.WARNING,
            "a lockstep:allow comment that names no rule, gives no reason, or stands before no statement",
            "Write -- lockstep:allow RULE-ID why it is safe here, on or just before the statement.");

    private final String id;
    private final LintLevel level;
    private final String summary;
    private final String hint;

    LintRule(String id, LintLevel level, String summary, String hint) {
        this.id = id;
        this.level = level;
        this.summary = summary;
        this.hint = hint;
    }

    /** Returns the rule's stable id, e.g. {@code rebuild-loses-index}. */
    public String id() {
        return id;
    }

    /** Returns how serious its findings are. */
    public LintLevel level() {
        return level;
    }

    /** Returns what the rule finds, in one sentence. */
    public String summary() {
        return summary;
    }

    /** Returns how to fix what it finds. */
    public String hint() {
        return hint;
    }

    /**
     * Returns the rule with an id.
     *
     * @param id a rule id such as {@code drop-table}
     * @return the rule, or empty if no rule has that id
     */
    public static Optional<LintRule> byId(String id) {
        for (LintRule rule : values()) {
            if (rule.id.equals(id)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }
}
