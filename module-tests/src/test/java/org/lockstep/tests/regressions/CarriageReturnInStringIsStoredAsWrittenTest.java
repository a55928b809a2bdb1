package org.lockstep.tests.regressions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.MigrationConfig;
import org.lockstep.Migrator;

/**
 * Issue 11, item 7: a carriage return inside a string literal ({@code 'x\ry'}) was stored as
 * {@code x\ny}, because line endings were normalised in the SQL that runs. They are normalised
 * for the checksum only, which must stay what it always was so that existing histories
 * remain valid.
 */
final class CarriageReturnInStringIsStoredAsWrittenTest {
    // CRLF endings, a lone CR and a CRLF inside strings.
    private static final String SCRIPT = "CREATE TABLE t (v TEXT);\r\n"
            + "INSERT INTO t VALUES ('x\ry');\r\n"
            + "INSERT INTO t VALUES ('a\r\nb');\r\n";
    // printf "CREATE TABLE t (v TEXT);\nINSERT INTO t VALUES ('x\ny');\nINSERT INTO t VALUES ('a\nb');\n" | sha256sum
    private static final String CHECKSUM = "c81ddfe703d94370755e86182cdbe24bc6959618e54d3411c8a764b267305fb2";

    @TempDir
    Path dir;

    @Test
    void carriageReturnsInsideStringsReachTheDatabaseAsWrittenAndTheChecksumIsUnchanged() throws Exception {
        Path scripts = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(scripts.resolve("001_strings.sql"), SCRIPT, StandardCharsets.UTF_8);
        Path database = dir.resolve("app.db");

        Migrator.create(MigrationConfig.builder()
                        .url("jdbc:sqlite:" + database)
                        .location(scripts)
                        .build())
                .migrate();

        assertEquals(List.of("x\ry", "a\r\nb"), SqliteRows.column(database, "SELECT v FROM t ORDER BY rowid"));
        assertEquals(List.of(CHECKSUM), SqliteRows.column(database, "SELECT checksum FROM schema_migrations"));
    }
}
