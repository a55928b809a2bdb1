package org.lockstep.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationLocation;
import org.lockstep.ScriptFile;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlStatement;
import org.lockstep.internal.sql.SqlSyntaxException;

final class ScriptLoaderTest {
    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private List<MigrationScript> load() {
        return ScriptLoader.load(List.of(new MigrationLocation.Directory(dir)));
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected [" + expected + "] in: " + actual);
    }

    @Test
    void scriptsLoadInVersionOrderNotNameOrder() throws IOException {
        write("10_x.sql", "SELECT 10;");
        write("9_y.sql", "SELECT 9;");
        write("V9.1__z.sql", "SELECT 91;");
        write("001_first_one.sql", "SELECT 1;");
        List<MigrationScript> scripts = load();
        assertEquals(
                List.of("001", "9", "9.1", "10"),
                scripts.stream().map(s -> s.version().toString()).toList());
        assertEquals(
                List.of("001_first_one.sql", "9_y.sql", "V9.1__z.sql", "10_x.sql"),
                scripts.stream().map(MigrationScript::fileName).toList());
    }

    @Test
    void repeatableScriptsLoadAfterEveryVersionedScriptInDescriptionOrder() throws IOException {
        write("R__b_views.sql", "SELECT 'b';");
        write("002_x.sql", "SELECT 2;");
        write("R__a_functions.sql", "SELECT 'a';");
        write("001_y.sql", "SELECT 1;");

        List<MigrationScript> scripts = load();
        List<ScriptFile> files = ScriptLoader.files(new MigrationLocation.Directory(dir));

        assertEquals(
                List.of("001_y.sql", "002_x.sql", "R__a_functions.sql", "R__b_views.sql"),
                scripts.stream().map(MigrationScript::fileName).toList());
        assertTrue(scripts.get(2).repeatable());
        assertEquals("a functions", scripts.get(2).description());
        assertEquals(
                List.of("001_y.sql", "002_x.sql", "R__a_functions.sql", "R__b_views.sql"),
                files.stream().map(ScriptFile::fileName).toList());
        assertTrue(files.get(3).isRepeatable());
        assertEquals(
                2,
                ScriptLoader.bytes(List.of(new MigrationLocation.Directory(dir)))
                        .size());
    }

    @Test
    void twoRepeatableScriptsOfOneDescriptionAreRefused() throws IOException {
        Path other = Files.createDirectories(dir.resolve("other"));
        write("R__views.sql", "SELECT 1;");
        Files.writeString(other.resolve("R__views.sql"), "SELECT 2;");

        InvalidScriptException e = assertThrows(
                InvalidScriptException.class,
                () -> ScriptLoader.load(
                        List.of(new MigrationLocation.Directory(dir), new MigrationLocation.Directory(other))));

        assertContains("Duplicate repeatable script [views] in scripts [", e.getMessage());
    }

    @Test
    void loadedScriptCarriesNameSourceChecksumAndStatements() throws IOException {
        write(
                "001_create_notes.sql",
                "-- notes\r\nCREATE TABLE notes (id INTEGER);\r\n\r\nINSERT INTO notes VALUES (1);\r\n");
        MigrationScript script = load().get(0);
        assertEquals("create notes", script.description());
        assertEquals("001_create_notes.sql", script.fileName());
        assertEquals(dir.resolve("001_create_notes.sql").toString(), script.source());
        assertEquals(
                ScriptText.checksum("-- notes\nCREATE TABLE notes (id INTEGER);\n\nINSERT INTO notes VALUES (1);\n"),
                script.checksum());
        assertEquals(
                List.of(
                        new SqlStatement("CREATE TABLE notes (id INTEGER)", 2),
                        new SqlStatement("INSERT INTO notes VALUES (1)", 4)),
                script.statements());
    }

    @Test
    void statementsKeepTheScriptsLineEndingsWhileTheChecksumIgnoresThem() throws IOException {
        write(
                "001_strings.sql",
                "INSERT INTO t VALUES ('x\ry');\r\nINSERT INTO t VALUES ('a\r\nb'); -- c\rDELETE FROM t;");
        MigrationScript script = load().get(0);
        assertEquals(
                List.of(
                        new SqlStatement("INSERT INTO t VALUES ('x\ry')", 1),
                        new SqlStatement("INSERT INTO t VALUES ('a\r\nb')", 3)),
                script.statements(),
                "the lone CR inside the first string is a line break too, as an editor shows it");
        assertEquals(
                ScriptText.checksum(
                        "INSERT INTO t VALUES ('x\ny');\nINSERT INTO t VALUES ('a\nb'); -- c\n" + "DELETE FROM t;"),
                script.checksum());
    }

    @Test
    void editingOnlyLineEndingsKeepsTheChecksumButIsSplitAgain() throws IOException {
        ParsedScripts parsed = new ParsedScripts(Long.MAX_VALUE);
        List<MigrationLocation> here = List.of(new MigrationLocation.Directory(dir));
        write("001_a.sql", "SELECT 1; -- x\rSELECT 2;");
        MigrationScript before =
                ScriptLoader.load(here, parsed, () -> ScriptDialect.SQLITE).get(0);
        write("001_a.sql", "SELECT 1; -- x\nSELECT 2;");
        MigrationScript after =
                ScriptLoader.load(here, parsed, () -> ScriptDialect.SQLITE).get(0);
        assertEquals(before.checksum(), after.checksum());
        assertEquals(1, before.statements().size());
        assertEquals(2, after.statements().size());
    }

    @Test
    void nonSqlFilesAndFoldersAreIgnored() throws IOException {
        write("1_a.sql", "SELECT 1;");
        write("README.md", "not a script");
        write("notes.txt", "neither");
        write("1_a.sql.orig", "nor this");
        Files.createDirectory(dir.resolve("2_folder.sql"));
        List<MigrationScript> scripts = load();
        assertEquals(
                List.of("1_a.sql"),
                scripts.stream().map(MigrationScript::fileName).toList());
    }

    @Test
    void folderWithoutScriptsIsRejectedNamingIt() throws IOException {
        write("README.md", "not a script");
        InvalidScriptException e = assertThrows(InvalidScriptException.class, this::load);
        assertEquals("Migration folder [" + dir + "] holds no scripts (no file there ends in .sql)", e.getMessage());
        assertEquals(dir.toString(), e.source());
    }

    @Test
    void listingAFolderWithoutScriptsGivesNoFilesAndListingOneWithScriptsReadsNames() throws IOException {
        assertEquals(List.of(), ScriptLoader.files(new MigrationLocation.Directory(dir)));
        write("V2__b.sql", "not even SQL: only the name is read");
        write("001_a_b.sql", "");
        List<ScriptFile> files = ScriptLoader.files(new MigrationLocation.Directory(dir));
        assertEquals(
                List.of("001_a_b.sql", "V2__b.sql"),
                files.stream().map(ScriptFile::fileName).toList());
        assertEquals("a b", files.get(0).description());
    }

    @Test
    void listingAMissingFolderIsRejected() {
        Path missing = dir.resolve("no-such-folder");
        InvalidScriptException e = assertThrows(
                InvalidScriptException.class, () -> ScriptLoader.files(new MigrationLocation.Directory(missing)));
        assertEquals("Migration folder [" + missing + "] does not exist", e.getMessage());
    }

    // java.sql is a named module wherever the tests run: on the module path (Surefire) or the
    // class path (PIT), where this module is unnamed.
    private static final Module NAMED = java.sql.Connection.class.getModule();

    @Test
    void resourceFolderOfANamedModuleThatDoesNotExistIsRejected() {
        InvalidScriptException e = assertThrows(
                InvalidScriptException.class,
                () -> ScriptLoader.load(List.of(new MigrationLocation.ModuleResources(NAMED, "db/migratoins"))));
        assertEquals("Migration location [module java.sql:db/migratoins] does not exist", e.getMessage());
        assertEquals("module java.sql:db/migratoins", e.source());
    }

    @Test
    void resourceFolderOfANamedModuleWithoutScriptsIsRejected() {
        InvalidScriptException e = assertThrows(
                InvalidScriptException.class,
                () -> ScriptLoader.load(List.of(new MigrationLocation.ModuleResources(NAMED, "java/sql"))));
        assertEquals(
                "Migration location [module java.sql:java/sql] holds no scripts (no file there ends in .sql)",
                e.getMessage());
    }

    @Test
    void badlyNamedScriptIsRejectedNamingTheFile() throws IOException {
        write("1_a.sql", "SELECT 1;");
        write("create_notes.sql", "SELECT 2;");
        InvalidScriptException e = assertThrows(InvalidScriptException.class, this::load);
        String file = dir.resolve("create_notes.sql").toString();
        assertEquals(file, e.source());
        assertContains("Script name [" + file + "] does not follow the rule", e.getMessage());
    }

    @Test
    void versionTooLargeIsRejectedNamingTheFileAndThePart() throws IOException {
        String huge = "1234567890123456789012345678901234567890";
        write(huge + "_big.sql", "SELECT 1;");
        InvalidScriptException e = assertThrows(InvalidScriptException.class, this::load);
        String file = dir.resolve(huge + "_big.sql").toString();
        assertEquals(file, e.source());
        assertEquals(
                "Script name [" + file + "] has a version Lockstep cannot hold: Version [" + huge
                        + "] has a part too large: [" + huge + "]",
                e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void equalVersionsAreRejectedNamingBothFiles() throws IOException {
        write("001_a.sql", "SELECT 1;");
        write("1_b.sql", "SELECT 1;");
        InvalidScriptException e = assertThrows(InvalidScriptException.class, this::load);
        assertContains("Duplicate version", e.getMessage());
        assertContains("[" + dir.resolve("001_a.sql") + "]", e.getMessage());
        assertContains("[" + dir.resolve("1_b.sql") + "]", e.getMessage());
    }

    @Test
    void versionsEqualAfterTrailingZerosAreDuplicates() throws IOException {
        write("V1__a.sql", "SELECT 1;");
        write("V1.0__b.sql", "SELECT 1;");
        InvalidScriptException e = assertThrows(InvalidScriptException.class, this::load);
        assertContains("V1__a.sql", e.getMessage());
        assertContains("V1.0__b.sql", e.getMessage());
    }

    @Test
    void duplicateVersionsAcrossLocationsAreRejected() throws IOException {
        Path other = Files.createDirectory(dir.resolve("other"));
        write("1_a.sql", "SELECT 1;");
        Files.writeString(other.resolve("01_b.sql"), "SELECT 1;");
        InvalidScriptException e = assertThrows(
                InvalidScriptException.class,
                () -> ScriptLoader.load(
                        List.of(new MigrationLocation.Directory(dir), new MigrationLocation.Directory(other))));
        assertContains("[" + dir.resolve("1_a.sql") + "]", e.getMessage());
        assertContains("[" + other.resolve("01_b.sql") + "]", e.getMessage());
    }

    @Test
    void missingFolderIsRejectedNamingIt() {
        Path missing = dir.resolve("no-such-folder");
        InvalidScriptException e = assertThrows(
                InvalidScriptException.class,
                () -> ScriptLoader.load(List.of(new MigrationLocation.Directory(missing))));
        assertEquals("Migration folder [" + missing + "] does not exist", e.getMessage());
        assertEquals(missing.toString(), e.source());
    }

    @Test
    void fileInsteadOfFolderIsRejectedNamingIt() throws IOException {
        write("plain.txt", "x");
        Path file = dir.resolve("plain.txt");
        InvalidScriptException e = assertThrows(
                InvalidScriptException.class, () -> ScriptLoader.load(List.of(new MigrationLocation.Directory(file))));
        assertEquals("Migration folder [" + file + "] is not a folder", e.getMessage());
    }

    @Test
    void invalidUtf8IsRejectedNamingFileAndByteOffset() throws IOException {
        Path file = dir.resolve("002_bad_bytes.sql");
        Files.write(file, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'S', 'E', 'L', (byte) 0xFF, ';'});
        InvalidScriptException e = assertThrows(InvalidScriptException.class, this::load);
        assertEquals(file.toString(), e.source());
        assertContains("Script [" + file + "] is not valid UTF-8", e.getMessage());
        assertContains("byte offset [6]", e.getMessage());
        assertEquals(
                6,
                assertInstanceOf(ScriptText.MalformedException.class, e.getCause())
                        .byteOffset());
    }

    @Test
    void unclosedStringIsRejectedNamingFileAndLine() throws IOException {
        write("003_broken.sql", "SELECT 1;\nINSERT INTO t VALUES ('oops);\n");
        InvalidScriptException e = assertThrows(InvalidScriptException.class, this::load);
        assertContains("Script [" + dir.resolve("003_broken.sql") + "]", e.getMessage());
        assertContains("at line [2]", e.getMessage());
        assertEquals(2, assertInstanceOf(SqlSyntaxException.class, e.getCause()).line());
    }

    @Test
    void refusedStatementIsReportedBeforeTextAfterItThatIsNotSql() throws IOException {
        // psql would read the rows after COPY ... FROM STDIN; as SQL, O'Brien opens a string.
        write("004_rows.sql", "CREATE TABLE t (a int, b text);\nCOPY t FROM stdin;\n1\tO'Brien\n\\.\n");
        InvalidScriptException e = assertThrows(
                InvalidScriptException.class,
                () -> ScriptLoader.load(
                        List.of(new MigrationLocation.Directory(dir)),
                        new ParsedScripts(Long.MAX_VALUE),
                        () -> ScriptDialect.POSTGRESQL));
        assertContains(
                "Script [" + dir.resolve("004_rows.sql") + "] line [2]: statement [COPY t FROM stdin]"
                        + " is not allowed: COPY ... FROM STDIN",
                e.getMessage());
    }
}
