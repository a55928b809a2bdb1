package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.DatabaseException;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationFailedException;
import org.lockstep.MigrationState;
import org.lockstep.Migrator;
import org.lockstep.cli.LockstepTool;
import org.lockstep.tests.concurrency.ChildJvm;

/** PostgreSQL scripts, refusals, failure atomicity and the command's credentials. */
final class PostgresScriptsTest {
    /** Nothing listens here: what must be refused before connecting is refused with it. */
    private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/nowhere";

    @TempDir
    Path dir;

    @Test
    void dollarQuotedBodiesEscapeStringsAndNestedCommentsApplyAsPsqlWouldSplitThem() throws Exception {
        PostgresServer.Schema schema = PostgresServer.require().freshSchema();
        Path scripts = dir.resolve("migrations");
        PostgresServer.write(scripts, "001_routines.sql", """
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

        MigrateResult result = Migrator.create(schema.config(scripts, "fidelity").build()).migrate();

        assertEquals(1, result.applied().size());
        assertEquals(List.of("it's; a \\ backslash", "plain 'quoted'; text", "DONE; !"),
                schema.strings("SELECT body FROM notes ORDER BY id"));
        assertEquals(1, schema.count("SELECT touched FROM notes WHERE id = 1"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CREATE INDEX CONCURRENTLY notes_body ON notes (body)", "VACUUM notes", "COMMIT",
        "DROP INDEX CONCURRENTLY notes_body", "ALTER SYSTEM SET work_mem = '64MB'", "CREATE DATABASE other"})
    void statementsThatCannotRunInATransactionAreRefusedBeforeConnecting(String statement) {
        Path scripts = dir.resolve("migrations");
        PostgresServer.write(scripts, "001_bad.sql", "CREATE TABLE notes (body TEXT);\n\n" + statement + ";\n");

        InvalidScriptException failure = assertThrows(InvalidScriptException.class,
                () -> Migrator.create(MigrationConfig.builder().url(NOWHERE).location(scripts).build()).migrate());

        assertTrue(failure.getMessage().contains("001_bad.sql") && failure.getMessage().contains("line [3]")
                && failure.getMessage().contains("not allowed"), failure.getMessage());
    }

    @Test
    void failingScriptRollsBackItsDdlAndEveryEarlierMigrationOfTheDeploy() throws Exception {
        PostgresServer.Schema schema = PostgresServer.require().freshSchema();
        Path scripts = dir.resolve("migrations");
        PostgresServer.writeHerdScripts(scripts, 1, 2);
        PostgresServer.write(scripts, "003_broken.sql", "ALTER TABLE effects ADD COLUMN extra INT;\n"
                + "CREATE INDEX effects_version ON effects (version);\nSELECT 1 / 0;\n");

        MigrationFailedException failure = assertThrows(MigrationFailedException.class,
                () -> Migrator.create(schema.config(scripts, "atomic").build()).migrate());

        assertEquals("003", failure.version().toString());
        assertEquals(3, failure.line());
        assertEquals("22012", failure.sqlState());
        assertEquals(List.of(), schema.tables(), "transactional DDL: nothing of the deploy remains");
    }

    @Test
    void statusAndValidateReadTheHistoryWithoutTheLock() throws Exception {
        PostgresServer.Schema schema = PostgresServer.require().freshSchema();
        Path scripts = dir.resolve("migrations");
        PostgresServer.writeHerdScripts(scripts, 1, 2);
        Migrator.create(schema.config(scripts, "first").build()).migrate();
        PostgresServer.writeHerdScripts(scripts, 3, 3);
        Migrator migrator = Migrator.create(schema.config(scripts, "second").build());

        migrator.validate();
        assertEquals(List.of(MigrationState.APPLIED, MigrationState.APPLIED, MigrationState.PENDING),
                migrator.status().stream().map(info -> info.state()).toList());
    }

    @Test
    void commandTakesTheUserAndPasswordFromTheEnvironmentOrAFileAndNeverPrintsThePassword() throws Exception {
        PostgresServer server = PostgresServer.require();
        PostgresServer.Schema schema = server.freshSchema();
        Path scripts = dir.resolve("migrations");
        PostgresServer.writeHerdScripts(scripts, 1, 2);
        Map<String, String> env = new HashMap<>(Map.of("LOCKSTEP_USER", server.user,
                "LOCKSTEP_PASSWORD", server.password, "LOCKSTEP_URL", schema.url(),
                "LOCKSTEP_MIGRATIONS", scripts.toString()));

        Run fromEnv = run(env, "migrate", "--verbose");
        assertEquals(0, fromEnv.code, fromEnv.toString());
        PostgresServer.assertExactlyOnce(schema, 2);

        env.put("LOCKSTEP_PASSWORD", "wrong-secret-123");
        Run wrong = run(env, "status");
        assertEquals(2, wrong.code, wrong.toString());
        assertTrue(wrong.err.contains("credentials"), wrong.toString());
        assertFalse(wrong.toString().contains("wrong-secret-123"), wrong.toString());

        Path file = Files.writeString(dir.resolve("pw"), server.password + "\n");
        Run fromFile = run(env, "status", "--password-file", file.toString());
        assertEquals(0, fromFile.code, fromFile.toString());
        assertFalse(fromFile.toString().contains(server.password), fromFile.toString());
    }

    @Test
    void passwordInTheUrlIsMaskedInEveryMessage() {
        Path scripts = dir.resolve("migrations");
        PostgresServer.writeHerdScripts(scripts, 1, 1);

        Run run = run(Map.of(), "migrate", "--url", NOWHERE + "?user=app&password=hunter2", "--migrations",
                scripts.toString());

        assertEquals(6, run.code, "a server that cannot be reached is the environment's fault: " + run);
        assertTrue(run.err.contains("password=***"), run.toString());
        assertFalse(run.toString().contains("hunter2"), run.toString());
        assertFalse(MigrationConfig.builder().url(NOWHERE + "?password=hunter2").location(scripts).build()
                .toString().contains("hunter2"));
        DatabaseException failure = assertThrows(DatabaseException.class, () -> Migrator.create(MigrationConfig
                .builder().url(NOWHERE, "app", "hunter2").location(scripts).build()).migrate());
        assertFalse(failure.getMessage().contains("hunter2"), failure.getMessage());
    }

    @Test
    void commandWithoutThePostgresDriverSaysHowToAddIt() throws Exception {
        Path scripts = dir.resolve("migrations");
        PostgresServer.writeHerdScripts(scripts, 1, 1);
        ChildJvm child = ChildJvm.start(dir, "no-driver", List.of("migrate", "--url", NOWHERE + "?password=hunter2",
                "--migrations", scripts.toString()));
        child.awaitReady();
        child.release();

        assertEquals(2, child.awaitExit(60), child.stderr());
        assertTrue(child.stderr().contains("No JDBC driver") && child.stderr().contains("LOCKSTEP_JAVA_OPTIONS"),
                child.stderr());
        assertFalse(child.stderr().contains("hunter2"), child.stderr());
    }

    private static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new LockstepTool(env).run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }
}
