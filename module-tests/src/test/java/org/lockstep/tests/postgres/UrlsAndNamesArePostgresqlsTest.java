package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.Migrator;
import org.lockstep.cli.LockstepTool;

/**
 * Issue 13, items 8 and 9: a malformed URL was reported as a missing driver, with the driver's
 * own warnings raw on stderr; and {@code --history-table MyHistory} made a quoted table
 * distinct from {@code myhistory}, a second history.
 */
final class UrlsAndNamesArePostgresqlsTest extends PostgresCase {

    @Test
    void aMalformedPortIsSaidToBeMalformedAndTheDriverStaysQuiet() {
        script("001_t.sql", "SELECT 1;\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new LockstepTool(Map.of())
                .run(
                        new PrintWriter(out),
                        new PrintWriter(err),
                        "migrate",
                        "--url",
                        "jdbc:postgresql://127.0.0.1:54x10/app",
                        "--migrations",
                        scripts.toString());

        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("malformed"), err.toString());
        assertFalse(err.toString().contains("No JDBC driver"), err.toString());
        assertEquals(1, err.toString().lines().count(), "one line, no driver log: " + err);
    }

    @Test
    @Timeout(60)
    void anUnquotedNameIsFoldedAsPostgresqlFoldsIt() throws Exception {
        script("001_t.sql", "CREATE TABLE t (x int);\n");
        Migrator.create(config().historyTable("MyHistory").build()).migrate();

        assertEquals(List.of("public.myhistory"), tablesNamed("myhistory"));
        assertTrue(Migrator.create(config().historyTable("myhistory").build())
                .migrate()
                .wasUpToDate());
    }
}
