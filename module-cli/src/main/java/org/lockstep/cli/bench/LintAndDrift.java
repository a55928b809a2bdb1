package org.lockstep.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lockstep.DriftReport;
import org.lockstep.LintLevel;
import org.lockstep.LintReport;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Section 7: {@code lint} of 1 000-script histories and {@code drift} of 200-table databases,
 * each timed from the call to its report (a fresh scratch database and a full replay every
 * time), in wall time and in the process's CPU time, which other processes on a shared machine
 * do not inflate (it includes the JVM's compiler and collector threads).
 *
 * <p>Histories: "rebuild-heavy" has five scripts per table, one creating it with a foreign key,
 * a check, a unique column and an index; one seeding rows and adding a column; one adding a
 * trigger and a view; one rebuilding the table the documented way (its view and trigger dropped
 * and created again, every index created again, the copy filling NULLs); one adding a partial
 * and an expression index: 200 tables, 200 rebuilds. "data" is the scale section's: 1 000
 * scripts that insert and update rows, creating a table every hundredth. "wide" creates one
 * table per script with two indexes, a trigger and a view: a 200-table database in 200 scripts.
 * The floor replays the rebuild-heavy history's statements with plain JDBC into memory: what
 * SQLite itself costs. No lint may find an error and no drift a difference: a finding would be
 * a false positive, which fails the section.
 */
final class LintAndDrift implements Section {
    private static final int SCRIPTS_PER_TABLE = 5;

    /** One timed call: returns nothing, checks its own result. */
    private interface Call {
        void run() throws Exception;
    }

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
        Path heavy = writeRebuildHeavy(bench.scratch().resolve("scripts-lint-heavy-" + scripts), scripts);
        Path data = bench.generatedScripts(scripts);
        Path wide = writeWide(bench.scratch().resolve("scripts-lint-wide-" + tables), tables);
        Path heavyDatabase = bench.freshDatabase();
        Path wideDatabase = bench.freshDatabase();
        try {
            Migrator heavyLinter = inMemory(heavy);
            Migrator dataLinter = inMemory(data);
            Migrator heavyLive = Migrator.create(
                    Workbench.config(heavyDatabase, heavy, "bench").build());
            Migrator wideLive = Migrator.create(
                    Workbench.config(wideDatabase, wide, "bench").build());
            heavyLive.migrate();
            wideLive.migrate();
            List<List<String>> statements = Workload.statements(heavy);

            Map<String, Call> calls = new LinkedHashMap<>();
            calls.put("lint, rebuild-heavy", () -> check(heavyLinter.lint(), scripts));
            calls.put("floor: plain JDBC replay, rebuild-heavy", () -> replay(statements));
            calls.put("lint, data", () -> check(dataLinter.lint(), scripts));
            calls.put("drift, rebuild-heavy", () -> check(heavyLive.drift(), scripts));
            calls.put("drift, wide", () -> check(wideLive.drift(), tables));
            Map<String, List<Double>> wall = new LinkedHashMap<>();
            Map<String, List<Double>> cpu = new LinkedHashMap<>();
            for (Call call : calls.values()) {
                call.run(); // warm-up, and the checks once before timing
            }
            for (int run = 1; run <= bench.settings().runs(); run++) {
                bench.progress(
                        "lint and drift: run " + run + "/" + bench.settings().runs());
                for (Map.Entry<String, Call> call : calls.entrySet()) {
                    long cpuStart = cpuNanos();
                    long start = System.nanoTime();
                    call.getValue().run();
                    wall.computeIfAbsent(call.getKey(), k -> new ArrayList<>())
                            .add(Figures.millis(System.nanoTime() - start));
                    cpu.computeIfAbsent(call.getKey(), k -> new ArrayList<>())
                            .add(Figures.millis(cpuNanos() - cpuStart));
                }
            }
            String heavyNote = scripts + " scripts, " + tables + " tables, " + tables + " rebuilds";
            List<Result> results = new ArrayList<>();
            results.add(timed(
                    "lint of a " + scripts + "-script history, rebuild-heavy",
                    wall,
                    cpu,
                    "lint, rebuild-heavy",
                    heavyNote + "; no error found"));
            results.add(untimed(
                    "floor: its statements replayed with plain JDBC",
                    wall,
                    cpu,
                    "floor: plain JDBC replay, rebuild-heavy",
                    "what SQLite alone costs for the same replay"));
            results.add(timed(
                    "lint of a " + scripts + "-script history, data",
                    wall,
                    cpu,
                    "lint, data",
                    "the scale section's scripts: rows inserted and updated, a table every 100 scripts"));
            results.add(timed(
                    "drift of a " + tables + "-table database, " + scripts + " scripts",
                    wall,
                    cpu,
                    "drift, rebuild-heavy",
                    "the rebuild-heavy history applied; replays it and reads both schemas"));
            results.add(timed(
                    "drift of a " + tables + "-table database, " + tables + " scripts",
                    wall,
                    cpu,
                    "drift, wide",
                    "one table with two indexes, a trigger and a view per script"));
            return results;
        } finally {
            bench.discard(heavyDatabase);
            bench.discard(wideDatabase);
        }
    }

    // Wall time against the target, then the process's CPU time for the same calls.
    private static Result timed(
            String measure, Map<String, List<Double>> wall, Map<String, List<Double>> cpu, String key, String note) {
        return Result.of(
                7,
                measure,
                "ms",
                Summary.of(wall.get(key)),
                false,
                Target.medianBelow(1000),
                note + "; process CPU time "
                        + Figures.format(Summary.of(cpu.get(key)).median()) + " ms (median)");
    }

    private static Result untimed(
            String measure, Map<String, List<Double>> wall, Map<String, List<Double>> cpu, String key, String note) {
        return Result.of(
                7,
                measure,
                "ms",
                Summary.of(wall.get(key)),
                false,
                note + "; process CPU time "
                        + Figures.format(Summary.of(cpu.get(key)).median()) + " ms (median)");
    }

    // The process's CPU time so far, from the operating system (clock-tick resolution).
    private static long cpuNanos() {
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(java.time.Duration::toNanos)
                .orElse(0L);
    }

    private static Migrator inMemory(Path scripts) {
        return Migrator.create(MigrationConfig.builder()
                .url("jdbc:sqlite::memory:")
                .location(scripts)
                .build());
    }

    private static void replay(List<List<String>> scripts) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
                Statement statement = connection.createStatement()) {
            for (List<String> script : scripts) {
                for (String sql : script) {
                    statement.execute(sql);
                }
            }
        }
    }

    private static void check(LintReport report, int scripts) {
        BenchmarkFailure.check(
                report.scriptsReplayed() == scripts && !report.reaches(LintLevel.ERROR),
                "lint of a generated history replayed [" + report.scriptsReplayed() + "] of [" + scripts
                        + "] scripts or found an error: " + report.active());
    }

    private static void check(DriftReport report, int scripts) {
        BenchmarkFailure.check(
                report.replayed().size() == scripts && report.matches(),
                "drift of a generated database replayed [" + report.replayed().size() + "] of [" + scripts
                        + "] scripts or found drift: " + report.differences());
    }

    /**
     * Writes the wide history: one table per script, with two indexes, a trigger and a view.
     *
     * @param dir the folder to create
     * @param tables how many scripts and tables
     * @return the folder
     * @throws IOException if a file cannot be written
     */
    static Path writeWide(Path dir, int tables) throws IOException {
        Files.createDirectories(dir);
        for (int k = 1; k <= tables; k++) {
            String t = "w" + k;
            write(
                    dir,
                    k,
                    "create_" + t,
                    "CREATE TABLE " + t + " (id INTEGER PRIMARY KEY, parent_id INTEGER"
                            + (k == 1 ? "" : " REFERENCES w" + (k - 1) + " (id)")
                            + ", code TEXT NOT NULL UNIQUE, qty INTEGER NOT NULL DEFAULT 0, note TEXT);",
                    "CREATE INDEX " + t + "_parent ON " + t + " (parent_id);",
                    "CREATE INDEX " + t + "_open ON " + t + " (code) WHERE note IS NULL;",
                    "CREATE TRIGGER " + t + "_touch AFTER UPDATE OF qty ON " + t + " BEGIN UPDATE " + t
                            + " SET note = 'changed' WHERE id = new.id; END;",
                    "CREATE VIEW " + t + "_view AS SELECT id, code FROM " + t + " WHERE qty > 0;");
        }
        return dir;
    }

    /**
     * Writes the rebuild-heavy history, one statement per line (the floor splits by line).
     *
     * @param dir the folder to create
     * @param scripts how many scripts, a multiple of five
     * @return the folder
     * @throws IOException if a file cannot be written
     */
    static Path writeRebuildHeavy(Path dir, int scripts) throws IOException {
        Files.createDirectories(dir);
        int version = 0;
        for (int k = 1; k <= scripts / SCRIPTS_PER_TABLE; k++) {
            String t = "t" + k;
            String parent = k == 1 ? "" : " REFERENCES t" + (k - 1) + " (id)";
            String columns = "id INTEGER PRIMARY KEY, parent_id INTEGER" + parent
                    + ", name TEXT NOT NULL UNIQUE, qty INTEGER NOT NULL DEFAULT 0 CHECK (qty >= 0), note TEXT";
            String trigger = "CREATE TRIGGER " + t + "_touch AFTER UPDATE OF qty ON " + t + " BEGIN UPDATE " + t
                    + " SET note = CASE WHEN new.qty > 10 THEN 'many' ELSE 'few' END WHERE id = new.id; END;";
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
