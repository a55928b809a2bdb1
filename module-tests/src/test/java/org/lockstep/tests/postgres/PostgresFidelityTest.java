package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.DatabaseException;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;
import org.lockstep.tests.cli.Workspace;
import org.lockstep.tests.fixture.PostgresDatabase;
import org.lockstep.tests.fixture.PostgresServer;
import org.lockstep.tests.fixture.WorkerProcess;

/**
 * What only PostgreSQL has: scripts split the way {@code psql} splits them, its own list of
 * statements that cannot run in a transaction, and the command's credentials (user, password
 * from the environment or a file, never printed; no driver in the runtime image). The
 * promises every dialect keeps are the contracts in {@code org.lockstep.tests.contract}.
 */
final class PostgresFidelityTest {
    /** Nothing listens here: what must be refused before connecting is refused with it. */
    private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/nowhere";

    @TempDir
    Path dir;

    private PostgresDatabase database;

    private PostgresDatabase database() throws Exception {
        if (database == null) {
            database = PostgresServer.shared().freshDatabase();
        }
        return database;
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    private static void write(Path folder, String name, String text) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path twoScripts() {
        Path scripts = dir.resolve("migrations");
        write(scripts, "001_notes.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n");
        write(scripts, "002_tags.sql", "CREATE TABLE tags (name TEXT);\nINSERT INTO tags VALUES ('a; b');\n");
        return scripts;
    }

    @Test
    void dollarQuotedBodiesEscapeStringsAndNestedCommentsApplyAsPsqlWouldSplitThem() throws Exception {
        Path scripts = dir.resolve("migrations");
        write(scripts, "001_routines.sql", """
                /* a comment /* nested; */ still a comment; */
                CREATE TABLE notes (id INT PRIMARY KEY, body TEXT NOT NULL, touched INT NOT NULL DEFAULT 0);
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.touched := OLD.touched + 1; -- a ; in a body
                    RETURN NEW;
                END;
                $$;
                CREATE TRIGGER notes_touch BEFORE UPDATE ON notes FOR EACH ROW EXECUTE FUNCTION touch();
                CREATE FUNCTION shout(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $body$ SELECT upper(t) || '; !' $body$;
                INSERT INTO notes (id, body) VALUES (1, E'it\\'s; a \\\\ backslash'), (2, 'plain ''quoted''; text');
                DO $$ BEGIN UPDATE notes SET body = body WHERE id = 1; END $$;
                INSERT INTO notes (id, body) VALUES (3, shout('done'))
                """);

        MigrateResult result =
                Migrator.create(database().config(scripts, "fidelity").build()).migrate();

        assertEquals(1, result.applied().size());
        assertEquals(
                List.of("it's; a \\ backslash", "plain 'quoted'; text", "DONE; !"),
                database().strings("SELECT body FROM notes ORDER BY id"));
        assertEquals(1, database().count("SELECT touched FROM notes WHERE id = 1"));
    }

    @Test
    void jdbcEscapesAreSentAsWrittenAsPsqlSendsThem() throws Exception {
        // psql knows no {fn ...}; the driver would turn it into abs(-1) if asked to.
        Path scripts = dir.resolve("migrations");
        write(scripts, "001_escape.sql", "CREATE TABLE numbers (x INT);\nINSERT INTO numbers VALUES ({fn abs(-1)});\n");

        org.lockstep.MigrationFailedException failure = assertThrows(
                org.lockstep.MigrationFailedException.class,
                () -> Migrator.create(database().config(scripts, "fidelity").build())
                        .migrate());

        assertEquals(2, failure.line());
        assertTrue(failure.getMessage().contains("syntax error"), failure.getMessage());
        assertEquals(0, database().count("SELECT count(*) FROM pg_tables WHERE tablename = 'numbers'"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "CREATE INDEX CONCURRENTLY notes_body ON notes (body)",
                "VACUUM notes",
                "COMMIT",
                "DROP INDEX CONCURRENTLY notes_body",
                "ALTER SYSTEM SET work_mem = '64MB'",
                "CREATE DATABASE other"
            })
    void statementsThatCannotRunInATransactionAreRefusedBeforeConnecting(String statement) {
        Path scripts = dir.resolve("migrations");
        write(scripts, "001_bad.sql", "CREATE TABLE notes (body TEXT);\n\n" + statement + ";\n");

        InvalidScriptException failure = assertThrows(
                InvalidScriptException.class,
                () -> Migrator.create(MigrationConfig.builder()
                                .url(NOWHERE)
                                .location(scripts)
                                .build())
                        .migrate());

        assertTrue(
                failure.getMessage().contains("001_bad.sql")
                        && failure.getMessage().contains("line [3]")
                        && failure.getMessage().contains("not allowed"),
                failure.getMessage());
    }

    @Test
    void commandTakesTheUserAndPasswordFromTheEnvironmentOrAFileAndNeverPrintsThePassword() throws Exception {
        PostgresServer server = PostgresServer.shared();
        Path scripts = twoScripts();
        Map<String, String> env = new HashMap<>(Map.of(
                "LOCKSTEP_USER",
                server.user(),
                "LOCKSTEP_PASSWORD",
                server.password(),
                "LOCKSTEP_URL",
                database().url(),
                "LOCKSTEP_MIGRATIONS",
                scripts.toString()));

        Workspace.Run fromEnv = Workspace.run(env, "migrate", "--verbose");
        assertEquals(0, fromEnv.exitCode(), fromEnv.toString());
        assertEquals(List.of("001", "002"), database().appliedVersions());
        assertEquals(1, database().count("SELECT count(*) FROM tags"));

        env.put("LOCKSTEP_PASSWORD", "wrong-secret-123");
        Workspace.Run wrong = Workspace.run(env, "status");
        assertEquals(2, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.err().contains("credentials"), wrong.toString());
        assertFalse(wrong.toString().contains("wrong-secret-123"), wrong.toString());

        Path file = Files.writeString(dir.resolve("pw"), server.password() + "\n");
        Workspace.Run fromFile = Workspace.run(env, "status", "--password-file", file.toString());
        assertEquals(0, fromFile.exitCode(), fromFile.toString());
        assertFalse(fromFile.toString().contains(server.password()), fromFile.toString());
    }

    @Test
    void passwordInTheUrlIsMaskedInEveryMessage() {
        Path scripts = twoScripts();

        Workspace.Run run = Workspace.run(
                Map.of(),
                "migrate",
                "--url",
                NOWHERE + "?user=app&password=hunter2",
                "--migrations",
                scripts.toString());

        assertEquals(6, run.exitCode(), "a server that cannot be reached is the environment's fault: " + run);
        assertTrue(run.err().contains("password=***"), run.toString());
        assertFalse(run.toString().contains("hunter2"), run.toString());
        assertFalse(MigrationConfig.builder()
                .url(NOWHERE + "?password=hunter2")
                .location(scripts)
                .build()
                .toString()
                .contains("hunter2"));
        DatabaseException failure = assertThrows(
                DatabaseException.class,
                () -> Migrator.create(MigrationConfig.builder()
                                .url(NOWHERE, "app", "hunter2")
                                .location(scripts)
                                .build())
                        .migrate());
        assertFalse(failure.getMessage().contains("hunter2"), failure.getMessage());
    }

    @Test
    void commandWithoutThePostgresDriverSaysHowToAddIt() throws Exception {
        Path scripts = twoScripts();
        WorkerProcess child = WorkerProcess.start(
                dir,
                "no-driver",
                List.of("migrate", "--url", NOWHERE + "?password=hunter2", "--migrations", scripts.toString()),
                List.of());
        child.awaitReady();
        child.release();

        assertEquals(2, child.awaitExit(60), child.stderr());
        assertTrue(
                child.stderr().contains("No JDBC driver") && child.stderr().contains("LOCKSTEP_JAVA_OPTIONS"),
                child.stderr());
        assertFalse(child.stderr().contains("hunter2"), child.stderr());
    }
}
