package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lockstep.LintFinding;
import org.lockstep.LintLevel;
import org.lockstep.LintOptions;
import org.lockstep.LintReport;
import org.lockstep.LintRule;

/**
 * Every rule has a history that fires it and a fixed twin that does not. Each history starts
 * from the same schema of notes, tags and their link.
 */
final class LintRulesTest {
    static final String BASE = """
            CREATE TABLE notes (
                id    INTEGER PRIMARY KEY,
                title TEXT NOT NULL,
                body  TEXT,
                tag   TEXT
            );
            CREATE INDEX notes_title ON notes (title);
            CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
            CREATE TRIGGER notes_no_empty_title BEFORE INSERT ON notes
            WHEN new.title = ''
            BEGIN
                SELECT raise(ABORT, 'empty title');
            END;
            """;

    private static final String REBUILD_KEEPING_EVERYTHING = """
            CREATE TABLE notes_new (
                id    INTEGER PRIMARY KEY,
                title TEXT NOT NULL CHECK (length(title) < 200),
                body  TEXT,
                tag   TEXT
            );
            INSERT INTO notes_new (id, title, body, tag) SELECT id, title, body, tag FROM notes;
            DROP TABLE notes;
            ALTER TABLE notes_new RENAME TO notes;
            CREATE INDEX notes_title ON notes (title);
            CREATE TRIGGER notes_no_empty_title BEFORE INSERT ON notes
            WHEN new.title = ''
            BEGIN
                SELECT raise(ABORT, 'empty title');
            END;
            """;

    @TempDir
    Path dir;

    /** A rule, a second script that fires it, the same script fixed, and the options to lint with. */
    record Case(LintRule rule, String bad, String fixed, LintOptions options) {
        @Override
        public String toString() {
            return rule.id();
        }
    }

    static Stream<Arguments> cases() {
        LintOptions defaults = LintOptions.defaults();
        return Stream.of(
                        new Case(
                                LintRule.REBUILD_LOSES_INDEX,
                                REBUILD_KEEPING_EVERYTHING.replace("CREATE INDEX notes_title ON notes (title);", ""),
                                REBUILD_KEEPING_EVERYTHING,
                                defaults),
                        new Case(
                                LintRule.REBUILD_LOSES_TRIGGER,
                                REBUILD_KEEPING_EVERYTHING.substring(
                                        0, REBUILD_KEEPING_EVERYTHING.indexOf("CREATE TRIGGER")),
                                REBUILD_KEEPING_EVERYTHING,
                                defaults),
                        new Case(LintRule.REBUILD_LOSES_CONSTRAINT, """
                        CREATE TABLE tags_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
                        INSERT INTO tags_new SELECT * FROM tags;
                        DROP TABLE tags;
                        ALTER TABLE tags_new RENAME TO tags;
                        """, """
                        CREATE TABLE tags_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, colour TEXT);
                        INSERT INTO tags_new (id, name) SELECT id, name FROM tags;
                        DROP TABLE tags;
                        ALTER TABLE tags_new RENAME TO tags;
                        """, defaults),
                        new Case(LintRule.FOREIGN_KEY_TARGET, """
                        CREATE TABLE note_tags (
                            note_id  INTEGER NOT NULL REFERENCES notes (id),
                            tag_name TEXT NOT NULL REFERENCES tag (name)
                        );
                        """, """
                        CREATE TABLE note_tags (
                            note_id  INTEGER NOT NULL REFERENCES notes (id),
                            tag_name TEXT NOT NULL REFERENCES tags (name)
                        );
                        """, defaults),
                        new Case(
                                LintRule.ADD_COLUMN_NOT_NULL,
                                "ALTER TABLE notes ADD COLUMN status TEXT NOT NULL;\n",
                                "ALTER TABLE notes ADD COLUMN status TEXT NOT NULL DEFAULT 'draft';\n",
                                defaults),
                        new Case(
                                LintRule.REBUILD_NOT_NULL,
                                REBUILD_KEEPING_EVERYTHING.replace("body  TEXT,", "body  TEXT NOT NULL,"),
                                REBUILD_KEEPING_EVERYTHING
                                        .replace("body  TEXT,", "body  TEXT NOT NULL,")
                                        .replace(
                                                "SELECT id, title, body, tag",
                                                "SELECT id, title, coalesce(body, ''), tag"),
                                defaults),
                        new Case(
                                LintRule.UNIQUE_INDEX_ON_EXISTING_TABLE,
                                "CREATE UNIQUE INDEX notes_unique_title ON notes (title);\n",
                                """
                        CREATE TABLE authors (id INTEGER PRIMARY KEY, email TEXT NOT NULL);
                        CREATE UNIQUE INDEX authors_email ON authors (email);
                        """,
                                defaults),
                        new Case(LintRule.DROP_TABLE, "DROP TABLE tags;\n", REBUILD_KEEPING_EVERYTHING, defaults),
                        new Case(
                                LintRule.DROP_COLUMN,
                                "ALTER TABLE notes DROP COLUMN tag;\n",
                                "ALTER TABLE notes ADD COLUMN colour TEXT;\nALTER TABLE notes DROP COLUMN colour;\n",
                                defaults),
                        new Case(
                                LintRule.RENAME_TABLE,
                                "ALTER TABLE tags RENAME TO labels;\n",
                                // A rebuild that renames the old table away first is one change to one table.
                                """
                        ALTER TABLE tags RENAME TO tags_old;
                        CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                        INSERT INTO tags (id, name) SELECT id, name FROM tags_old;
                        DROP TABLE tags_old;
                        """,
                                defaults),
                        new Case(
                                LintRule.RENAME_COLUMN,
                                "ALTER TABLE notes RENAME COLUMN body TO text;\n",
                                "ALTER TABLE notes ADD COLUMN text TEXT;\nUPDATE notes SET text = body;\n",
                                defaults),
                        new Case(
                                LintRule.NEWER_SQLITE,
                                "CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;\n",
                                "CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL);\n",
                                defaults.withSqliteVersion("3.31")),
                        new Case(
                                LintRule.NOT_TRANSACTIONAL,
                                "UPDATE notes SET title = trim(title);\nVACUUM;\n",
                                "UPDATE notes SET title = trim(title);\n",
                                defaults),
                        new Case(
                                LintRule.REPLAY_FAILED,
                                "INSERT INTO labels (name) VALUES ('x');\n",
                                "INSERT INTO tags (name) VALUES ('x');\n",
                                defaults),
                        new Case(
                                LintRule.BAD_ALLOW,
                                "-- lockstep:allow drop-table\nDROP TABLE tags;\n",
                                "-- lockstep:allow drop-table the tags feature was removed in release 12\nDROP TABLE tags;\n",
                                defaults))
                .map(Arguments::of);
    }

    private LintReport lint(String second, LintOptions options) {
        return Histories.lint(dir, Histories.of("001_base.sql", BASE, "002_change.sql", second), options);
    }

    private static List<LintRule> active(LintReport report) {
        return report.active().stream().map(LintFinding::rule).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badScriptFiresTheRuleAndItsFixedTwinDoesNot(Case rule) {
        LintReport bad = lint(rule.bad(), rule.options());
        LintReport fixed = lint(rule.fixed(), rule.options());

        assertTrue(active(bad).contains(rule.rule()), () -> rule + " not found in " + bad.findings());
        assertFalse(active(fixed).contains(rule.rule()), () -> rule + " found in the fix: " + fixed.findings());
        assertFalse(fixed.reaches(LintLevel.ERROR), () -> "the fix has errors: " + fixed.findings());
        for (LintFinding finding : bad.findings()) {
            assertTrue(
                    finding.message().contains("002_change.sql]")
                            && finding.message().contains("line ["),
                    () -> "the message names the file and line: " + finding.message());
            assertEquals("002_change.sql", finding.script());
        }
    }

    @Test
    void baseHistoryIsClean() {
        LintReport report = Histories.lint(dir, Histories.of("001_base.sql", BASE), LintOptions.defaults());

        assertEquals(List.of(), report.findings());
        assertEquals(1, report.scriptsReplayed());
    }

    @Test
    void droppingAFullTextTableIsOneDropNotOnePerShadowTable() {
        LintReport report = Histories.lint(
                dir,
                Histories.of(
                        "001_base.sql",
                        BASE + "CREATE VIRTUAL TABLE notes_text USING fts5(body);\n",
                        "002_change.sql",
                        "DROP TABLE notes_text;\n"),
                LintOptions.defaults());

        // SQLite drops notes_text_data, _idx, _content, _docsize and _config with it: its own doing.
        assertEquals(
                List.of("Table [notes_text] is dropped in [002_change.sql] at line [1]"),
                report.findings().stream().map(LintFinding::message).toList());
    }

    @Test
    void findingNamesTheLineOfItsStatement() {
        LintReport report = lint("UPDATE notes SET body = '';\n\nDROP TABLE tags;\n", LintOptions.defaults());

        assertEquals(1, report.findings().size(), report::toString);
        LintFinding finding = report.findings().get(0);
        assertEquals(LintRule.DROP_TABLE, finding.rule());
        assertEquals(3, finding.line());
        assertEquals("Table [tags] is dropped in [002_change.sql] at line [3]", finding.message());
    }

    @Test
    void everyRefusedStatementIsReportedWithMigratesMessage() {
        LintReport report = lint("VACUUM;\nPRAGMA journal_mode = WAL;\nBEGIN;\n", LintOptions.defaults());

        List<LintFinding> refused = report.findings().stream()
                .filter(f -> f.rule() == LintRule.NOT_TRANSACTIONAL)
                .toList();
        assertEquals(List.of(1, 2, 3), refused.stream().map(LintFinding::line).toList(), report::toString);
        assertTrue(
                refused.get(0)
                        .message()
                        .matches("Script \\[.*002_change.sql\\] line \\[1\\]: statement \\[VACUUM\\]"
                                + " is not allowed: VACUUM cannot run inside a transaction; run it outside Lockstep"),
                refused.get(0).message());
    }

    @Test
    void allowCommentSilencesOneRuleOnItsStatementAndKeepsTheReason() {
        LintReport report = lint("""
                DROP TABLE tags; -- lockstep:allow drop-table replaced by labels in release 12
                ALTER TABLE notes DROP COLUMN tag;
                """, LintOptions.defaults());

        Map<LintRule, LintFinding> byRule = new LinkedHashMap<>();
        report.findings().forEach(f -> byRule.put(f.rule(), f));
        assertEquals(
                java.util.Optional.of("replaced by labels in release 12"),
                byRule.get(LintRule.DROP_TABLE).allowedBecause());
        assertFalse(byRule.get(LintRule.DROP_COLUMN).allowed(), "the allow is for one statement only");
    }

    @Test
    void notTransactionalCannotBeAllowed() {
        LintReport report = lint("-- lockstep:allow not-transactional we know\nVACUUM;\n", LintOptions.defaults());

        assertEquals(
                java.util.Set.of(LintRule.BAD_ALLOW, LintRule.NOT_TRANSACTIONAL),
                java.util.Set.copyOf(active(report)),
                report::toString);
    }

    @Test
    void rebuildThatRenamesTheParentAwayFirstLeavesItsChildrenPointingAtTheDroppedName() {
        // SQLite 3.26+ rewrites the children's REFERENCES tags to REFERENCES tags_old on the
        // rename; dropping tags_old then leaves them referencing nothing.
        LintReport report = Histories.lint(
                dir,
                Histories.of(
                        "001_base.sql",
                        BASE + "CREATE TABLE note_tags (note_id INTEGER REFERENCES notes (id), tag_id INTEGER"
                                + " REFERENCES tags (id));\n",
                        "002_rebuild_tags.sql",
                        """
                        ALTER TABLE tags RENAME TO tags_old;
                        CREATE TABLE tags (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, colour TEXT);
                        INSERT INTO tags (id, name) SELECT id, name FROM tags_old;
                        DROP TABLE tags_old;
                        """),
                LintOptions.defaults());

        List<LintFinding> errors = report.active().stream()
                .filter(f -> f.level() == LintLevel.ERROR)
                .toList();
        assertEquals(1, errors.size(), report::toString);
        assertEquals(LintRule.FOREIGN_KEY_TARGET, errors.get(0).rule());
        assertEquals(
                "Foreign key (tag_id) REFERENCES tags_old (id) of table [note_tags] in [002_rebuild_tags.sql] at line"
                        + " [4]: table [tags_old] does not exist after the script",
                errors.get(0).message());
    }

    @Test
    void rebuildWhoseRenameATriggerOnAnotherTableBlocksFailsTheReplay() {
        LintReport report = lint("""
                CREATE TABLE tag_counts (tag_id INTEGER PRIMARY KEY, n INTEGER NOT NULL DEFAULT 0);
                CREATE TRIGGER tag_counts_touch AFTER UPDATE ON tag_counts BEGIN
                    UPDATE tags SET name = name WHERE id = new.tag_id;
                END;
                CREATE TABLE tags_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
                INSERT INTO tags_new (id, name) SELECT id, name FROM tags;
                DROP TABLE tags;
                ALTER TABLE tags_new RENAME TO tags;
                """, LintOptions.defaults());

        LintFinding failed = report.active().stream()
                .filter(f -> f.rule() == LintRule.REPLAY_FAILED)
                .findFirst()
                .orElseThrow(() -> new AssertionError(report.toString()));
        assertEquals(8, failed.line());
        assertTrue(failed.message().contains("error in trigger tag_counts_touch"), failed::message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("newerSyntax")
    void syntaxNewerThanTheOldestSqliteIsAnError(String sql, String feature) {
        LintReport old = lint(sql, LintOptions.defaults().withSqliteVersion("3.23"));
        LintReport current = lint(sql, LintOptions.defaults());

        assertTrue(
                old.findings().stream()
                        .anyMatch(f ->
                                f.rule() == LintRule.NEWER_SQLITE && f.message().contains(feature)),
                old::toString);
        assertFalse(active(current).contains(LintRule.NEWER_SQLITE), current::toString);
        assertFalse(current.reaches(LintLevel.ERROR), current::toString);
    }

    static Stream<Arguments> newerSyntax() {
        return Stream.of(
                Arguments.of("ALTER TABLE notes DROP COLUMN tag;", "DROP COLUMN"),
                Arguments.of("ALTER TABLE notes RENAME COLUMN tag TO label;", "RENAME COLUMN"),
                Arguments.of("INSERT INTO tags (name) VALUES ('a') RETURNING id;", "RETURNING"),
                Arguments.of("CREATE TABLE t (a INTEGER) STRICT;", "STRICT"),
                Arguments.of("CREATE TABLE t (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2));", "generated"),
                Arguments.of("ALTER TABLE notes ADD COLUMN n INTEGER AS (length(title));", "generated"),
                Arguments.of("INSERT INTO tags (name) VALUES ('a') ON CONFLICT (name) DO NOTHING;", "UPSERT"),
                Arguments.of("""
                        CREATE TRIGGER tags_upsert AFTER INSERT ON notes BEGIN
                            INSERT INTO tags (name) VALUES (new.tag) ON CONFLICT DO NOTHING;
                        END;""", "UPSERT"),
                Arguments.of("UPDATE notes SET tag = t.name FROM tags t WHERE t.id = notes.id;", "UPDATE ... FROM"),
                Arguments.of("CREATE VIEW ranked AS SELECT id, rank() OVER (ORDER BY title) FROM notes;", "window"),
                Arguments.of("CREATE VIEW v AS SELECT iif(body IS NULL, 'empty', body) FROM notes;", "iif"),
                Arguments.of("CREATE VIEW v AS SELECT body ->> '$.a' FROM notes;", "->"));
    }
}
