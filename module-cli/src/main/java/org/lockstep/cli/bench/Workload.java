package org.lockstep.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the migration scripts the benchmark applies.
 *
 * <p>Every script holds one statement per line, each ending in {@code ;} (a trigger's body
 * included), so that the plain-JDBC floor of section 5 can split scripts by line and run
 * exactly the statements Lockstep runs.
 */
final class Workload {
    /** The number of scripts of the realistic set. */
    static final int REALISTIC = 50;

    private static final List<String> ENTITIES = List.of(
            "customers",
            "products",
            "orders",
            "order_items",
            "invoices",
            "payments",
            "shipments",
            "reviews",
            "tags",
            "audit_events");
    private static final int SEED_ROWS = 25;
    private static final int BACKFILL_ROWS = 1000;

    private Workload() {}

    /**
     * Writes 50 scripts an application could have: for each of ten tables, its creation with
     * a unique index, 25 seed rows, two more indexes, a new column with a backfill of every
     * row, then a view, a trigger (and an update that fires it) or a 1 000-row backfill.
     *
     * @param dir the folder to create
     * @return the folder
     * @throws IOException if a file cannot be written
     */
    static Path writeRealistic(Path dir) throws IOException {
        Files.createDirectories(dir);
        int number = 0;
        for (int k = 0; k < ENTITIES.size(); k++) {
            String e = ENTITIES.get(k);
            String parent = k == 0 ? "" : " REFERENCES " + ENTITIES.get(k - 1) + "(id)";
            write(
                    dir,
                    ++number,
                    "create_" + e,
                    "CREATE TABLE " + e + " (id INTEGER PRIMARY KEY, name TEXT NOT NULL, status TEXT NOT NULL"
                            + " DEFAULT 'new', parent_id INTEGER" + parent + ", amount REAL NOT NULL DEFAULT 0,"
                            + " created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at TEXT);",
                    "CREATE UNIQUE INDEX " + e + "_name ON " + e + " (name);");
            List<String> rows = new ArrayList<>();
            for (int r = 1; r <= SEED_ROWS; r++) {
                rows.add(String.format(
                        Locale.ROOT,
                        "('%s-%d', '%s', %s, %d.5)",
                        e,
                        r,
                        r % 3 == 0 ? "active" : "new",
                        k == 0 ? "NULL" : Integer.toString(r),
                        r * 10));
            }
            write(
                    dir,
                    ++number,
                    "seed_" + e,
                    "INSERT INTO " + e + " (name, status, parent_id, amount) VALUES " + String.join(", ", rows) + ";");
            write(
                    dir,
                    ++number,
                    "index_" + e,
                    "CREATE INDEX " + e + "_status ON " + e + " (status, created_at);",
                    "CREATE INDEX " + e + "_parent ON " + e + " (parent_id);");
            write(
                    dir,
                    ++number,
                    "add_score_to_" + e,
                    "ALTER TABLE " + e + " ADD COLUMN score INTEGER NOT NULL DEFAULT 0;",
                    "UPDATE " + e + " SET score = length(name) * id + CAST(amount AS INTEGER);");
            switch (k % 3) {
                case 0:
                    write(
                            dir,
                            ++number,
                            "summarise_" + e,
                            "CREATE VIEW " + e + "_summary AS SELECT status, count(*) AS n, sum(amount) AS total FROM "
                                    + e + " GROUP BY status;");
                    break;
                case 1:
                    write(
                            dir,
                            ++number,
                            "backfill_" + e,
                            "WITH RECURSIVE seq(n) AS (SELECT " + (SEED_ROWS + 1) + " UNION ALL SELECT n + 1 FROM seq"
                                    + " WHERE n < " + (SEED_ROWS + BACKFILL_ROWS) + ") INSERT INTO " + e
                                    + " (name, status, parent_id, amount, score) SELECT '" + e + "-' || n,"
                                    + " CASE n % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'active' ELSE 'closed' END,"
                                    + " (n % " + SEED_ROWS + ") + 1, n * 1.5, n FROM seq;",
                            "UPDATE " + e + " SET status = 'archived' WHERE id % 10 = 0;");
                    break;
                default:
                    write(
                            dir,
                            ++number,
                            "touch_" + e,
                            "CREATE TRIGGER " + e + "_touch AFTER UPDATE OF status ON " + e + " BEGIN UPDATE " + e
                                    + " SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id; END;",
                            "UPDATE " + e + " SET status = 'active' WHERE id <= 5;");
                    break;
            }
        }
        return dir;
    }

    /**
     * Writes {@code count} small generated scripts: the first creates two tables, every other
     * inserts a row and updates a counter, and every hundredth also creates a table.
     *
     * @param dir the folder to create
     * @param count how many scripts
     * @return the folder
     * @throws IOException if a file cannot be written
     */
    static Path writeGenerated(Path dir, int count) throws IOException {
        Files.createDirectories(dir);
        write(
                dir,
                1,
                "create_items",
                "CREATE TABLE scale_items (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, name TEXT NOT NULL);",
                "CREATE TABLE scale_counter (n INTEGER NOT NULL);",
                "INSERT INTO scale_counter VALUES (0);");
        for (int i = 2; i <= count; i++) {
            List<String> lines = new ArrayList<>();
            lines.add("INSERT INTO scale_items (version, name) VALUES (" + i + ", 'item " + i + "');");
            lines.add("UPDATE scale_counter SET n = n + 1;");
            if (i % 100 == 0) {
                lines.add("CREATE TABLE scale_t" + i + " (id INTEGER PRIMARY KEY, v TEXT);");
            }
            write(dir, i, "item_" + i, lines.toArray(new String[0]));
        }
        return dir;
    }

    /**
     * Writes one script that keeps its transaction open for a while: a recursive query that
     * counts to {@code iterations} and stores the sum (CPU work, a one-row write).
     *
     * @param dir the folder to create
     * @param iterations how far the query counts
     * @return the folder
     * @throws IOException if the file cannot be written
     */
    static Path writeSlow(Path dir, long iterations) throws IOException {
        Files.createDirectories(dir);
        write(
                dir,
                1,
                "slow_backfill",
                "CREATE TABLE slow_total (total INTEGER NOT NULL);",
                "INSERT INTO slow_total " + slowQuery(iterations) + ";");
        return dir;
    }

    /** Returns the recursive query of {@link #writeSlow}. */
    static String slowQuery(long iterations) {
        return "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < " + iterations
                + ") SELECT sum(n) FROM seq";
    }

    /**
     * Reads the statements of every script in a folder, script by script in version order:
     * one statement per non-blank line.
     *
     * @param dir a folder written by this class
     * @return the statements of each script
     * @throws IOException if a file cannot be read
     */
    static List<List<String>> statements(Path dir) throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(dir)) {
            scripts = files.filter(p -> p.getFileName().toString().endsWith(".sql"))
                    .sorted()
                    .collect(Collectors.toList());
        }
        List<List<String>> statements = new ArrayList<>();
        for (Path script : scripts) {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(script, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            statements.add(lines);
        }
        return statements;
    }

    // Zero-padded to five digits so that file names sort in version order.
    private static void write(Path dir, int version, String description, String... lines) throws IOException {
        Files.writeString(
                dir.resolve(String.format(Locale.ROOT, "%05d_%s.sql", version, description)),
                String.join("\n", lines) + "\n",
                StandardCharsets.UTF_8);
    }
}
