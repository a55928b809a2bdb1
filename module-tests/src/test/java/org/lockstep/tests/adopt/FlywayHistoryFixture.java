package org.lockstep.tests.adopt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Eight versioned scripts as real Flyway projects write them, in every form Flyway's checksum
 * must agree on (LF, CRLF, a byte-order mark, no final line ending, a lone CR, non-ASCII text,
 * a table rebuild, a trigger body), and a repeatable view kept in a
 * folder of its own; migrated by Flyway itself through its Java API.
 */
final class FlywayHistoryFixture {
    static final String INSTALLED_BY = "deployer";

    private FlywayHistoryFixture() {}

    static void writeVersioned(ForeignDatabase db) throws Exception {
        db.script(
                "V1__create_users.sql",
                "CREATE TABLE users (\n    id INTEGER PRIMARY KEY,\n    name TEXT NOT NULL\n);\n");
        db.scriptBytes(
                "V2__create_posts.sql",
                ("CREATE TABLE posts (\r\n    id INTEGER PRIMARY KEY,\r\n"
                                + "    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,\r\n"
                                + "    title TEXT NOT NULL\r\n);\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream bom = new ByteArrayOutputStream();
        bom.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bom.write("-- seed: Zoë, 日本, naïve\nINSERT INTO users (id, name) VALUES (1, 'Zoë'), (2, '日本');\n"
                .getBytes(StandardCharsets.UTF_8));
        db.scriptBytes("V3__seed_users.sql", bom.toByteArray());
        db.script("V4__index_posts.sql", "CREATE INDEX posts_user ON posts (user_id)");
        db.script(
                "V5__rebuild_users.sql",
                "CREATE TABLE users_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (name <> ''),"
                        + " email TEXT);\n"
                        + "INSERT INTO users_new (id, name) SELECT id, name FROM users;\n"
                        + "DROP TABLE users;\n"
                        + "ALTER TABLE users_new RENAME TO users;\n");
        db.script(
                "V6__post_trigger.sql",
                "ALTER TABLE posts ADD COLUMN updated_at TEXT;\n\n"
                        + "CREATE TRIGGER posts_touch AFTER UPDATE OF title ON posts\nBEGIN\n"
                        + "    UPDATE posts SET updated_at = 'now; really' WHERE id = NEW.id;\nEND;\n");
        db.scriptBytes(
                "V7__seed_posts.sql",
                "INSERT INTO posts (id, user_id, title) VALUES (10, 1, 'hello');\r-- a lone CR ended that line\n"
                        .getBytes(StandardCharsets.UTF_8));
        db.script(
                "V8__user_emails.sql",
                "\t\nUPDATE users SET email = lower(name) || '@example.org';   \n\n\n-- trailing blank lines\n\n");
    }

    /** Writes a repeatable migration into {@code repeatable/}, where Lockstep does not look. */
    static Path writeRepeatable(Path root) throws Exception {
        Path folder = Files.createDirectories(root.resolve("repeatable"));
        Files.writeString(
                folder.resolve("R__post_summaries.sql"),
                "DROP VIEW IF EXISTS post_summaries;\n"
                        + "CREATE VIEW post_summaries AS SELECT p.id, u.name, p.title FROM posts p JOIN users u"
                        + " ON u.id = p.user_id;\n");
        return folder;
    }

    /** Migrates the database with Flyway from {@code migrations/} and, if given, the repeatable folder. */
    static MigrateResult migrate(ForeignDatabase db, Path... more) {
        String[] locations = new String[1 + more.length];
        locations[0] = "filesystem:" + db.workspace().migrations();
        for (int i = 0; i < more.length; i++) {
            locations[i + 1] = "filesystem:" + more[i];
        }
        return Flyway.configure()
                .dataSource(db.url(), null, null)
                .locations(locations)
                .installedBy(INSTALLED_BY)
                .load()
                .migrate();
    }
}
