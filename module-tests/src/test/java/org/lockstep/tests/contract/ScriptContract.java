package org.lockstep.tests.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;

/**
 * Script handling every dialect shares: Lockstep splits scripts into statements itself (the
 * drivers run only the first statement of a string), so a semicolon in a string, a comment or
 * a quoted name does not end a statement; scripts of the size real applications run apply,
 * with progress per statement; and a statement that cannot run inside the deploy's
 * transaction is refused, with file and line, before the database is opened. What only one
 * dialect has (dollar quotes, triggers, pragmas) is in that dialect's fidelity test.
 */
abstract class ScriptContract extends DatabaseContract {

    @Test
    void semicolonsInStringsCommentsAndQuotedNamesDoNotEndAStatement() throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.write(scripts, "001_odd.sql", """
                -- a comment; with a semicolon
                CREATE TABLE "odd;name" (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
                /* a block comment; with a semicolon */
                INSERT INTO "odd;name" (id, body) VALUES (1, 'it''s; quoted'), (2, 'two -- not a comment');
                INSERT INTO "odd;name" (id, body) VALUES (3, '/* not; a comment */')
                """);

        MigrateResult result =
                Migrator.create(db().config(scripts, "splitter").build()).migrate();

        assertEquals(1, result.applied().size());
        assertEquals(
                List.of("it's; quoted", "two -- not a comment", "/* not; a comment */"),
                db().strings("SELECT body FROM \"odd;name\" ORDER BY id"));
    }

    @Test
    void scriptOfFiveThousandStatementsAndAHundredThousandRowBackfillApplyWithProgress() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("m"));
        Herds.write(
                scripts, "001_table.sql", "CREATE TABLE items (id " + db().sql().generatedKey() + ", v TEXT);\n");
        try (BufferedWriter out = Files.newBufferedWriter(scripts.resolve("002_many.sql"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < 5_000; i++) {
                out.write("INSERT INTO items (v) VALUES ('row " + i + "; with a semicolon');\n");
            }
        }
        Herds.write(
                scripts,
                "003_backfill.sql",
                "CREATE TABLE big (n INTEGER NOT NULL, label TEXT);\n" + "INSERT INTO big SELECT n, 'n=' || n FROM ("
                        + db().sql().numbers(100_000) + ") AS numbers;\n");
        List<String> progress = new ArrayList<>();
        MigrationListener listener = new MigrationListener() {
            @Override
            public void statementCompleted(
                    Optional<MigrationVersion> version, int statement, int statements, Duration elapsed) {
                if (statement == statements || statement % 1000 == 0) {
                    progress.add(version.orElseThrow() + ":" + statement + "/" + statements);
                }
            }
        };

        MigrateResult result = Migrator.create(
                        db().config(scripts, "large").listener(listener).build())
                .migrate();

        assertEquals(3, result.applied().size());
        assertEquals(5_000, db().count("SELECT count(*) FROM items"));
        assertEquals(100_000, db().count("SELECT count(*) FROM big"));
        assertTrue(progress.containsAll(List.of("002:1000/5000", "002:5000/5000", "003:2/2")), progress.toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"VACUUM", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT s1", "RELEASE s1"})
    void statementsThatCannotRunInATransactionAreRefusedWithFileAndLineBeforeTheDatabaseIsOpened(String statement)
            throws Exception {
        Path scripts = dir.resolve("migrations");
        Herds.write(scripts, "001_ok.sql", "CREATE TABLE t (x INTEGER);\n");
        Herds.write(scripts, "002_bad.sql", "-- harmless first\nINSERT INTO t VALUES (1);\n\n" + statement + ";\n");
        // Opening this URL would fail with a DatabaseException: the refusal must come first.
        MigrationConfig config = MigrationConfig.builder()
                .url(db().unopenableUrl())
                .location(scripts)
                .build();

        InvalidScriptException refused = assertThrows(
                InvalidScriptException.class, () -> Migrator.create(config).migrate());

        assertTrue(
                refused.getMessage().contains("002_bad.sql")
                        && refused.getMessage().contains("line [4]")
                        && refused.getMessage().contains("not allowed"),
                refused.getMessage());
    }
}
