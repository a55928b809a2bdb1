package org.lockstep.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lockstep.DriftReport;
import org.lockstep.LintLevel;
import org.lockstep.LintReport;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Section 7: {@code lint} of a 1 000-script history and {@code drift} of the 200-table database
 * it makes, each timed from the call to its report (a fresh scratch database and a full replay
 * every time). The history is generated: five scripts per table, one creating it with a foreign
 * key, a check, a unique column and an index; one seeding rows and adding a column; one adding a
 * trigger and a view; one rebuilding the table the documented way (views and triggers dropped
 * and created again, every index created again, the copy filling NULLs); one adding a partial
 * and an expression index. The lint must find no error and the drift none: a finding would be
 * a false positive, which fails the section.
 */
final class LintAndDrift implements Section {
    private static final int SCRIPTS_PER_TABLE = 5;

    @Override
    public int number() {
        return 7;
    }

    @Override
    public String title() {
        return "lint and drift";
    }

    @Override
    public List<Result> run(Workbench bench) throws Exception {
        int scripts = bench.settings().lintScripts();
        int tables = scripts / SCRIPTS_PER_TABLE;
        Path folder = write(bench.scratch().resolve("scripts-lint-" + scripts), scripts);
        Path database = bench.freshDatabase();
        try {
            Migrator linter = Migrator.create(MigrationConfig.builder()
                    .url("jdbc:sqlite::memory:")
                    .location(folder)
                    .build());
            Migrator live =
                    Migrator.create(Workbench.config(database, folder, "bench").build());
            live.migrate();

            List<Double> lintTimes = new ArrayList<>();
            List<Double> driftTimes = new ArrayList<>();
            check(linter.lint(), scripts);
            check(live.drift(), scripts);
            for (int run = 1; run <= bench.settings().runs(); run++) {
                bench.progress(
                        "lint and drift: run " + run + "/" + bench.settings().runs());
                long start = System.nanoTime();
                LintReport report = linter.lint();
                lintTimes.add(Figures.millis(System.nanoTime() - start));
                check(report, scripts);
                start = System.nanoTime();
                DriftReport drift = live.drift();
                driftTimes.add(Figures.millis(System.nanoTime() - start));
                check(drift, scripts);
            }
            return List.of(
                    Result.of(
                            7,
                            "lint of a " + scripts + "-script history",
                            "ms",
                            Summary.of(lintTimes),
                            false,
                            Target.medianBelow(1000),
                            "replays " + scripts + " scripts (" + tables + " tables, " + tables
                                    + " rebuilds) into memory; no error found"),
                    Result.of(
                            7,
                            "drift of a " + tables + "-table database",
                            "ms",
                            Summary.of(driftTimes),
                            false,
                            Target.medianBelow(1000),
                            "replays its " + scripts + " applied scripts and reads both schemas; no drift"));
        } finally {
            bench.discard(database);
        }
    }

    private static void check(LintReport report, int scripts) {
        BenchmarkFailure.check(
                report.scriptsReplayed() == scripts && !report.reaches(LintLevel.ERROR),
                "lint of the generated history replayed [" + report.scriptsReplayed() + "] of [" + scripts
                        + "] scripts or found an error: " + report.active());
    }

    private static void check(DriftReport report, int scripts) {
        BenchmarkFailure.check(
                report.replayed().size() == scripts && report.matches(),
                "drift of the generated database replayed [" + report.replayed().size() + "] of [" + scripts
                        + "] scripts or found drift: " + report.differences());
    }

    /**
     * Writes the generated history.
     *
     * @param dir the folder to create
     * @param scripts how many scripts, a multiple of five
     * @return the folder
     * @throws IOException if a file cannot be written
     */
    static Path write(Path dir, int scripts) throws IOException {
        Files.createDirectories(dir);
        int version = 0;
        for (int k = 1; k <= scripts / SCRIPTS_PER_TABLE; k++) {
            String t = "t" + k;
            String parent = k == 1 ? "" : " REFERENCES t" + (k - 1) + " (id)";
            String columns = "id INTEGER PRIMARY KEY, parent_id INTEGER" + parent
                    + ", name TEXT NOT NULL UNIQUE, qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0), note TEXT";
            String trigger = "CREATE TRIGGER " + t + "_touch AFTER UPDATE OF qty ON " + t + "\nBEGIN\n    UPDATE " + t
                    + " SET note = CASE WHEN new.qty > 10 THEN 'many' ELSE 'few' END WHERE id = new.id;\nEND;";
            String view = "CREATE VIEW " + t + "_named AS SELECT id, upper(name) AS name, qty FROM " + t
                    + " WHERE note IS NOT NULL;";
            write(
                    dir,
                    ++version,
                    "create_" + t,
                    "CREATE TABLE " + t + " (" + columns + ");",
                    "CREATE INDEX " + t + "_parent ON " + t + " (parent_id);");
            write(
                    dir,
                    ++version,
                    "seed_" + t,
                    "INSERT INTO " + t + " (parent_id, name, qty) VALUES (1, '" + t + "-a', 1), (1, '" + t
                            + "-b', 2), (NULL, '" + t + "-c', 3);",
                    "ALTER TABLE " + t + " ADD COLUMN flag INTEGER NOT NULL DEFAULT 0;");
            write(dir, ++version, "touch_" + t, trigger, view);
            write(
                    dir,
                    ++version,
                    "rebuild_" + t,
                    "DROP VIEW " + t + "_named;",
                    "DROP TRIGGER " + t + "_touch;",
                    "CREATE TABLE " + t + "_new (" + columns + ", flag INTEGER NOT NULL DEFAULT 0,"
                            + " updated_at TEXT NOT NULL DEFAULT '');",
                    "INSERT INTO " + t + "_new (id, parent_id, name, qty, note, flag, updated_at) SELECT id,"
                            + " parent_id, name, qty, note, flag, coalesce(note, '') FROM " + t + ";",
                    "DROP TABLE " + t + ";",
                    "ALTER TABLE " + t + "_new RENAME TO " + t + ";",
                    "CREATE INDEX " + t + "_parent ON " + t + " (parent_id);",
                    trigger,
                    view);
            write(
                    dir,
                    ++version,
                    "index_" + t,
                    "CREATE INDEX " + t + "_flagged ON " + t + " (name) WHERE flag = 1;",
                    "CREATE INDEX " + t + "_lower_name ON " + t + " (lower(name));",
                    "UPDATE " + t + " SET qty = qty + 1;");
        }
        return dir;
    }

    private static void write(Path dir, int version, String description, String... statements) throws IOException {
        Files.writeString(
                dir.resolve(String.format(Locale.ROOT, "%05d_%s.sql", version, description)),
                String.join("\n", statements) + "\n",
                StandardCharsets.UTF_8);
    }
}
