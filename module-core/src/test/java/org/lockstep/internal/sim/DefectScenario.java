package org.lockstep.internal.sim;

import java.util.ArrayList;
import java.util.List;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptText;
import org.lockstep.internal.sql.SqlStatement;

/**
 * A generated deploy with one of the defects of issue 11 and 13 as a dimension: the shapes
 * that were found by hand, drawn from a {@link Tape} on top of a random {@link Scenario}, so
 * that they shrink with it.
 *
 * @param base the deploy: workers, scripts, faults, lock shape
 * @param dimension which defect's shape is drawn
 * @param release for each worker, how many of the scripts its release has (all, or fewer for
 *     an older release)
 * @param historyNames for each worker, how it spells the history table's name
 * @param settingScript the index of the script whose last statement changes the session's
 *     {@code search_path}, or -1
 * @param rowScript the index of the script that rebuilds the child table or adds an orphan to
 *     it, or -1
 * @param orphan whether that script adds an orphan (a new violation) rather than rebuilding
 * @param withoutRowid whether the child table is a {@code WITHOUT ROWID} table
 * @param broken whether the simulated database runs with the defect's fix reverted
 */
record DefectScenario(
        Scenario base,
        Dimension dimension,
        List<Integer> release,
        List<String> historyNames,
        int settingScript,
        int rowScript,
        boolean orphan,
        boolean withoutRowid,
        boolean broken) {

    static final String SET_SEARCH_PATH = "SET search_path TO other";
    static final String LOCKED_STATEMENT = "UPDATE locked_elsewhere SET a = 1";
    static final String REBUILD = "INSERT INTO effects (name) VALUES ('c:rebuild')";
    static final String ORPHAN = "INSERT INTO effects (name) VALUES ('c:orphan')";
    static final List<String> SPELLINGS = List.of("schema_migrations", "SCHEMA_MIGRATIONS", "Schema_Migrations");

    /** The defects, each a dimension of the generated deploys. */
    enum Dimension {
        /**
         * An older release meets a newer history (#11.8): some workers' scripts stop below
         * versions the newer release applied, before or during the deploy. Fix: a future
         * version is logged, not a validation failure; reverted: {@code failOnFuture}.
         */
        OLDER_RELEASE,
        /**
         * A history-table name in another case (#11.2): each worker spells it its own way.
         * Fix: the name is resolved the way the database resolves names (SQLite: ignoring
         * case; PostgreSQL: folding unquoted names to lower case); reverted: compared exactly.
         */
        HISTORY_NAME_CASE,
        /**
         * A script that changes the session's {@code search_path} (#13). Fix: the history
         * table is resolved once per session, before any script, and the settings are put back
         * before each migration ({@code Session.startMigration}); reverted: the history table
         * is resolved through the current path at each use, and settings carry over.
         */
        SEARCH_PATH,
        /**
         * A script whose own error carries a lock or serialization code (#11.6, #13:
         * SQLITE_LOCKED, 40001). Fix: an error of a script's own statement is a failed
         * migration, never "busy"; reverted: it escapes the statement's handler and is
         * retried as a lock wait.
         */
        LOCKED_SCRIPT_ERROR,
        /**
         * An in-memory database (#11.1): every new connection to {@code jdbc:sqlite::memory:}
         * is a new, empty database. Fix: the Migrator keeps one connection for the database's
         * life (and the protocol ends a call whose commits vanish); reverted: a new connection,
         * so a new database, per attempt.
         */
        IN_MEMORY,
        /**
         * A table rebuild that renumbers rows, and a {@code WITHOUT ROWID} table (#11.3, #11.4):
         * the child table holds an old orphan and gaps in its rowids; a script rebuilds it
         * (create, copy, drop, rename: rowids renumbered) or adds a new orphan. Fix: the
         * foreign-key check knows a violation by table, key and the child's values, counted;
         * reverted: by rowid, so a rebuild's renumbered old orphan looks new and a new orphan
         * in a table without rowids looks old.
         */
        ROW_IDENTITY
    }

    /** Draws a deploy of the given dimension. */
    static DefectScenario draw(Tape tape, Dimension dimension, boolean broken) {
        Scenario base = Scenario.herd(tape, 4, 4, true);
        int n = base.scripts();
        List<Integer> release = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int setting = -1;
        int rowScript = -1;
        boolean orphan = false;
        boolean withoutRowid = false;
        switch (dimension) {
            case OLDER_RELEASE -> {
                if (n == 1) {
                    base = base.withScripts(2);
                    n = 2;
                }
                int older = 1 + tape.draw(n - 1);
                for (int w = 0; w < base.workers(); w++) {
                    // w0 runs the newer release, so someone brings the database up to date.
                    release.add(w > 0 && tape.draw(2) == 1 ? older : n);
                }
            }
            case HISTORY_NAME_CASE -> {
                for (int w = 0; w < base.workers(); w++) {
                    names.add(SPELLINGS.get(tape.draw(SPELLINGS.size())));
                }
            }
            case SEARCH_PATH -> {
                base = pending(base);
                setting = base.appliedPrefix() + tape.draw(base.scripts() - base.appliedPrefix());
            }
            case LOCKED_SCRIPT_ERROR -> {
                base = pending(base);
                int failing = base.appliedPrefix() + tape.draw(base.scripts() - base.appliedPrefix());
                // A short lock timeout: with the fix reverted every worker retries until it.
                base = base.withFailingScript(failing).withOutsideHold(0, 500);
            }
            case ROW_IDENTITY -> {
                base = pending(base);
                rowScript = base.appliedPrefix() + tape.draw(base.scripts() - base.appliedPrefix());
                orphan = tape.draw(2) == 1;
                withoutRowid = tape.draw(2) == 1;
                if (orphan) {
                    base = base.withFailingScript(rowScript);
                }
            }
            case IN_MEMORY -> {
                // One process's private database: its threads share it, and a crash would take
                // the database with it, so there is nothing to restart into.
                base = base.withoutCrashes();
            }
        }
        for (int w = release.size(); w < base.workers(); w++) {
            release.add(base.scripts());
        }
        for (int w = names.size(); w < base.workers(); w++) {
            names.add(SPELLINGS.get(0));
        }
        return new DefectScenario(base, dimension, release, names, setting, rowScript, orphan, withoutRowid, broken);
    }

    /** The scripts: the simulation's, with the dimension's statements planted. */
    List<MigrationScript> scripts() {
        List<MigrationScript> scripts = new ArrayList<>(Simulation.scripts(base.scripts(), -1));
        if (settingScript >= 0) {
            scripts.set(settingScript, withLast(scripts.get(settingScript), SET_SEARCH_PATH));
        }
        if (rowScript >= 0) {
            scripts.set(rowScript, withLast(scripts.get(rowScript), orphan ? ORPHAN : REBUILD));
        } else if (base.failingScript() >= 0) {
            scripts.set(base.failingScript(), withLast(scripts.get(base.failingScript()), LOCKED_STATEMENT));
        }
        return scripts;
    }

    private static MigrationScript withLast(MigrationScript script, String sql) {
        List<SqlStatement> statements = new ArrayList<>(script.statements());
        statements.add(new SqlStatement(sql, statements.size() + 1));
        StringBuilder text = new StringBuilder();
        for (SqlStatement statement : statements) {
            text.append(statement.sql()).append(";\n");
        }
        return new MigrationScript(
                script.version(),
                script.description(),
                script.fileName(),
                script.source(),
                ScriptText.checksum(text.toString()),
                statements);
    }

    // At least one script pending, so that the planted statement runs.
    private static Scenario pending(Scenario base) {
        if (base.appliedPrefix() < base.scripts()) {
            return base;
        }
        return base.withScripts(base.scripts() + 1);
    }
}
