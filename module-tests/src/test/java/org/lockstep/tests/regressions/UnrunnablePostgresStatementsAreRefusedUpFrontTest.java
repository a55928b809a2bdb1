package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.DatabaseException;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Issue 13, item 10: statements that cannot run in a PostgreSQL migration were caught only
 * at run time, if at all: a comment inside {@code CREATE INDEX CONCURRENTLY}, {@code REINDEX
 * SCHEMA}, {@code COPY ... FROM STDIN} (whose rows only psql can feed) and psql's backslash
 * meta-commands, which are not SQL. They are now refused when the scripts are read, naming
 * the file and the line, before any connection is opened.
 */
final class UnrunnablePostgresStatementsAreRefusedUpFrontTest {
    @TempDir
    Path dir;

    // Nothing listens on port 1: a refusal must come before any connection.
    private InvalidScriptException refusal(Path script) {
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .url("jdbc:postgresql://127.0.0.1:1/none")
                .location(script.getParent())
                .build());
        return assertThrows(InvalidScriptException.class, migrator::validate);
    }

    private Path script(String text) throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        return Files.writeString(scripts.resolve("001_schema.sql"), "CREATE TABLE t (a int);\n\n" + text + "\n");
    }

    static Stream<Arguments> unrunnable() {
        return Stream.of(
                Arguments.of("CREATE /*c*/ INDEX CONCURRENTLY i ON t (a);", "CREATE INDEX CONCURRENTLY"),
                Arguments.of("create unique -- why\n index concurrently i on t (a);", "CREATE INDEX CONCURRENTLY"),
                Arguments.of("REINDEX SCHEMA public;", "REINDEX SCHEMA"),
                Arguments.of("REINDEX (VERBOSE) SCHEMA public;", "REINDEX SCHEMA"),
                Arguments.of("COPY t (a) FROM stdin;", "STDIN"),
                Arguments.of("copy t from STDIN with (format csv);", "STDIN"),
                Arguments.of("\\set ON_ERROR_STOP on", "psql"),
                Arguments.of("\\echo 'it''s done'", "psql"));
    }

    @ParameterizedTest
    @MethodSource("unrunnable")
    void statementThatCannotRunIsRefusedWithFileLineAndReason(String statement, String reason) throws Exception {
        Path script = script(statement);

        InvalidScriptException e = refusal(script);

        assertEquals(script.toString(), e.source());
        assertTrue(e.getMessage().startsWith("Script [" + script + "] line [3]: statement ["), e::getMessage);
        assertTrue(e.getMessage().contains("is not allowed: "), e::getMessage);
        assertTrue(e.getMessage().contains(reason), e::getMessage);
    }

    @Test
    void quotedConcurrentlyIsAnIndexNameAndNothingIsRefused() throws Exception {
        Path script = script("CREATE INDEX \"concurrently\" ON t (a);");
        Migrator migrator = Migrator.create(MigrationConfig.builder()
                .url("jdbc:postgresql://127.0.0.1:1/none")
                .location(script.getParent())
                .build());

        assertThrows(DatabaseException.class, migrator::validate, "the scripts pass; only the connection fails");
    }

    @Test
    void copyFromStdinIsRefusedEvenWhenItsRowsFollowAsPsqlExpectsThem() throws Exception {
        Path script = script("COPY t (a) FROM stdin;\n1\tO'Brien\n2\tx\n\\.\nSELECT 1;");

        InvalidScriptException e = refusal(script);

        assertTrue(
                e.getMessage().startsWith("Script [" + script + "] line [3]: statement [COPY t (a) FROM stdin]"),
                e::getMessage);
    }

    @Test
    void metaCommandsAreNamedAsPsqlsNotSql() throws Exception {
        InvalidScriptException e = refusal(script("\\set ON_ERROR_STOP on"));

        assertTrue(e.getMessage().contains("[\\set]"), e::getMessage);
        assertTrue(e.getMessage().contains("psql"), e::getMessage);
        assertTrue(e.getMessage().contains("not SQL"), e::getMessage);
    }
}
