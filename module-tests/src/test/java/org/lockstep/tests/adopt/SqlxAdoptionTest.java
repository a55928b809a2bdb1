package org.lockstep.tests.adopt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.tests.cli.Workspace;

/**
 * Adopting sqlx's history. sqlx is a Rust tool and cannot run here, so its table is made
 * exactly as {@code ensure_migrations_table} in {@code sqlx-sqlite/src/migrate.rs} creates it,
 * and each migration is recorded as {@code apply} there records it: the script run, then
 * {@code (version, description, TRUE, checksum, -1)} with the checksum the SHA-384 of the
 * file's text ({@code checksum} in {@code sqlx-core/src/migrate/migration.rs}), then
 * {@code execution_time} set in nanoseconds.
 */
final class SqlxAdoptionTest {
    // sqlx-sqlite/src/migrate.rs, ensure_migrations_table
    private static final String CREATE = """
            CREATE TABLE IF NOT EXISTS _sqlx_migrations (
                version BIGINT PRIMARY KEY,
                description TEXT NOT NULL,
                installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                success BOOLEAN NOT NULL,
                checksum BLOB NOT NULL,
                execution_time BIGINT NOT NULL
            )""";

    @TempDir
    Path root;

    private ForeignDatabase db;

    @BeforeEach
    void migrateAsSqlxDoes() throws Exception {
        db = new ForeignDatabase(root);
        db.script("20240101000000_create_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n");
        db.scriptBytes(
                "20240102000000_create_posts.sql",
                "CREATE TABLE posts (\r\n  id INTEGER PRIMARY KEY,\r\n  user_id INTEGER REFERENCES users (id)\r\n);\r\n"
                        .getBytes(StandardCharsets.UTF_8));
        db.script("20240103000000_seed.sql", "INSERT INTO users VALUES (1, 'ada');\n");
        db.execute(CREATE);
        apply("20240101000000_create_users.sql", 20240101000000L, "create users");
        apply("20240102000000_create_posts.sql", 20240102000000L, "create posts");
        apply("20240103000000_seed.sql", 20240103000000L, "seed");
    }

    private void apply(String file, long version, String description) throws Exception {
        db.runScript(file);
        byte[] bytes = Files.readAllBytes(db.workspace().migrations().resolve(file));
        byte[] checksum = MessageDigest.getInstance("SHA-384").digest(bytes);
        db.update(
                "INSERT INTO _sqlx_migrations ( version, description, success, checksum, execution_time )"
                        + " VALUES ( ?1, ?2, TRUE, ?3, -1 )",
                version,
                description,
                checksum);
        db.update("UPDATE _sqlx_migrations SET execution_time = ?1 WHERE version = ?2", 4_500_000L, version);
    }

    @Test
    void adoptVerifiesEachFileAgainstSqlxsChecksumAndKeepsItsTimes() {
        List<List<String>> sqlx = db.rows("SELECT version, installed_on FROM _sqlx_migrations ORDER BY version");

        Workspace.Run adopt = db.lockstep("adopt");

        assertEquals(0, adopt.exitCode(), adopt::toString);
        assertTrue(adopt.out().contains("each file verified against sqlx's checksum"), adopt::toString);
        List<List<String>> mine = db.lockstepHistory("schema_migrations");
        assertEquals(ForeignDatabase.firsts(sqlx), ForeignDatabase.firsts(mine));
        for (int i = 0; i < mine.size(); i++) {
            assertEquals(sqlx.get(i).get(1).replace(' ', 'T') + "Z", mine.get(i).get(3));
            assertTrue(
                    mine.get(i).get(4).startsWith("adopted from sqlx by "),
                    mine.get(i).get(4));
            assertEquals("4", mine.get(i).get(5), "4.5 ms of nanoseconds");
        }
        db.script("20240104000000_tags.sql", "CREATE TABLE tags (x);\n");
        Workspace.Run migrate = db.lockstep("migrate");
        assertEquals(1, migrate.outLinesStartingWith("Applied ").size(), migrate::toString);
        assertEquals(0, db.lockstep("validate").exitCode());
    }

    @Test
    void aFileThatIsNotWhatSqlxAppliedIsAValidationFailureNamingIt() throws Exception {
        Files.writeString(
                db.workspace().migrations().resolve("20240103000000_seed.sql"),
                "INSERT INTO users VALUES (2, 'bob');\n");
        byte[] before = db.bytes();

        Workspace.Run adopt = db.lockstep("adopt");

        assertEquals(4, adopt.exitCode(), adopt::toString);
        assertTrue(adopt.err().contains("[20240103000000_seed.sql] is not the script sqlx applied"), adopt::toString);
        assertArrayEquals(before, db.bytes());
    }

    @Test
    void anUnfinishedSqlxMigrationIsRefusedAndTheDatabaseStaysByteIdentical() {
        db.update("UPDATE _sqlx_migrations SET success = FALSE WHERE version = ?", 20240103000000L);
        byte[] before = db.bytes();

        Workspace.Run adopt = db.lockstep("adopt");

        assertEquals(4, adopt.exitCode(), adopt::toString);
        assertTrue(adopt.err().contains("as not finished (success = false)"), adopt::toString);
        assertArrayEquals(before, db.bytes());
    }
}
