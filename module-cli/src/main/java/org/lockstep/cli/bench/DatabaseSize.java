package org.lockstep.cli.bench;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;

/**
 * Section 8: a deploy costs what it changes, not what the database holds. A database with a
 * parent and a large child table holding a foreign key to it, and a small third table:
 * <ul>
 *   <li>a deploy that only adds an index to the small table, on that database and on the same
 *       schema with no rows: how long the write lock is held (from the migration's start, the
 *       lock held, to the end of its commit), and the ratio, whose target is 1.2 plus 5 ms;
 *   <li>a deploy that rebuilds the child table (create, copy, drop, rename, the way SQLite
 *       adds a constraint), through Lockstep and as the same statements in one plain JDBC
 *       transaction: what the foreign-key check adds to a rebuild.
 * </ul>
 * The child has 2 000 000 rows (200 000 with {@code --quick}); the databases are built once
 * and copied for each run.
 */
final class DatabaseSize implements Section {
    private static final int PARENTS = 200_000;

    @Override
    public int number() {
        return 8;
    }

    @Override
    public String title() {
        return "a deploy's cost against the database's size";
    }

    @Override
    public List<Result> run(Workbench bench) throws Exception {
        int children = bench.settings().quick() ? 200_000 : 2_000_000;
        Path big = bench.scratch().resolve("size-big.db");
        Path empty = bench.scratch().resolve("size-empty.db");
        build(big, children);
        build(empty, 0);
        Path indexScript = Files.createDirectories(bench.scratch().resolve("size-index"));
        Files.writeString(indexScript.resolve("001_index.sql"), "CREATE INDEX small_x ON small (x);\n");
        Path rebuildScript = Files.createDirectories(bench.scratch().resolve("size-rebuild"));
        Files.writeString(rebuildScript.resolve("001_rebuild.sql"), REBUILD);
        List<Double> bigHold = new ArrayList<>();
        List<Double> emptyHold = new ArrayList<>();
        List<Double> rebuild = new ArrayList<>();
        List<Double> rebuildFloor = new ArrayList<>();
        hold(bench, big, indexScript); // warm-up
        for (int run = 1; run <= bench.settings().runs(); run++) {
            bench.progress("database size: run " + run + "/" + bench.settings().runs());
            bigHold.add(hold(bench, big, indexScript));
            emptyHold.add(hold(bench, empty, indexScript));
            rebuild.add(hold(bench, big, rebuildScript));
            rebuildFloor.add(floor(bench, big));
        }
        List<Double> ratios = ThreadHerd.ratios(bigHold, emptyHold);
        return List.of(
                Result.of(
                        8,
                        "lock held: add an index, child of " + children + " rows untouched",
                        "ms",
                        Summary.of(bigHold),
                        false,
                        "from the migration's start under the lock to its commit"),
                Result.of(
                        8,
                        "lock held: the same, same schema without rows",
                        "ms",
                        Summary.of(emptyHold),
                        false,
                        "the floor: what the deploy itself costs"),
                Result.of(
                        8,
                        "ratio: large database / empty schema",
                        "x",
                        Summary.of(ratios),
                        false,
                        Target.medianBelow(1.2 + 5 / Summary.of(emptyHold).median()),
                        "target 1.2 x plus 5 ms, as a ratio of this run's floor"),
                Result.of(
                        8,
                        "lock held: rebuild the " + children + "-row child through Lockstep",
                        "ms",
                        Summary.of(rebuild),
                        false,
                        "create, copy, drop, rename; with the foreign-key check"),
                Result.of(
                        8,
                        "floor: the same statements, plain JDBC, no check",
                        "ms",
                        Summary.of(rebuildFloor),
                        false,
                        "one BEGIN IMMEDIATE ... COMMIT"),
                Result.of(
                        8,
                        "ratio: rebuild through Lockstep / floor",
                        "x",
                        Summary.of(ThreadHerd.ratios(rebuild, rebuildFloor)),
                        false,
                        "the check scans the rebuilt table's relations once after the rebuild"));
    }

    private static final String REBUILD = """
            CREATE TABLE child_new (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), note TEXT NOT NULL);
            INSERT INTO child_new SELECT id, parent_id, note FROM child;
            DROP TABLE child;
            ALTER TABLE child_new RENAME TO child;
            """;

    // The time the lock is held, from the listener's word that the migration started to the
    // end of the call (the commit is the last thing a call does).
    private static double hold(Workbench bench, Path source, Path scripts) throws Exception {
        Path database = copy(bench, source);
        try {
            AtomicLong started = new AtomicLong();
            MigrationListener listener = new MigrationListener() {
                @Override
                public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
                    started.set(System.nanoTime());
                }
            };
            MigrateResult result = Migrator.create(Workbench.config(database, scripts, "bench")
                            .listener(listener)
                            .lockTimeout(Duration.ofMinutes(5))
                            .build())
                    .migrate();
            long end = System.nanoTime();
            BenchmarkFailure.check(result.applied().size() == 1, "the deploy applied nothing to [" + database + "]");
            return Figures.millis(end - started.get());
        } finally {
            bench.discard(database);
        }
    }

    private static double floor(Workbench bench, Path source) throws Exception {
        Path database = copy(bench, source);
        try (Connection connection = Workbench.open(database);
                Statement statement = connection.createStatement()) {
            long start = System.nanoTime();
            statement.execute("BEGIN IMMEDIATE");
            for (String sql : REBUILD.split(";\n")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
            statement.execute("COMMIT");
            return Figures.millis(System.nanoTime() - start);
        } finally {
            bench.discard(database);
        }
    }

    private static Path copy(Workbench bench, Path source) throws IOException {
        Path database = bench.freshDatabase();
        Files.copy(source, database, StandardCopyOption.REPLACE_EXISTING);
        // The copy's pages sit dirty in the page cache; the deploy's first fsync would write
        // them all and bill the lock for the copy. Write them out before the clock starts.
        try (FileChannel channel = FileChannel.open(database, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        return database;
    }

    private static void build(Path database, int children) throws SQLException {
        try (Connection connection = Workbench.open(database);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            statement.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id),"
                    + " note TEXT NOT NULL)");
            statement.execute("CREATE TABLE small (x INTEGER)");
            if (children > 0) {
                statement.execute("BEGIN");
                statement.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + PARENTS
                        + ") INSERT INTO parent SELECT i, 'p' || i FROM n");
                statement.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + children
                        + ") INSERT INTO child SELECT i, 1 + i % " + PARENTS + ", 'note ' || i FROM n");
                statement.execute("COMMIT");
            }
        }
    }
}
