package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockstep.AppliedMigration;
import org.lockstep.JavaMigration;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationFailedException;
import org.lockstep.MigrationVersion;
import org.lockstep.Migrator;
import org.lockstep.tests.fixture.CodeMigration;

/**
 * Java migrations on PostgreSQL, through the same seam as on SQLite: one runs between the
 * scripts by version, inside the deploy's transaction and under its lock, and the history
 * names its class; one that throws takes the whole deploy back, DDL included; one that tries
 * to commit is refused, and the deploy still changes nothing.
 */
final class JavaMigrationOnPostgresTest extends PostgresCase {

    private static JavaMigration migration(CodeMigration.Work work) {
        return CodeMigration.of("2", "backfill", work);
    }

    private void scripts() {
        script(
                "001_users.sql",
                "CREATE TABLE users (id int PRIMARY KEY, name text);\n"
                        + "INSERT INTO users VALUES (1, 'ada'), (2, 'grace');\n");
        script("003_index.sql", "CREATE INDEX users_name ON users (name);\n");
    }

    @Test
    void aJavaMigrationRunsBetweenTheScriptsInTheDeploysTransaction() throws Exception {
        scripts();
        JavaMigration backfill = migration(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("UPDATE users SET name = upper(name)");
                // Inside the deploy's transaction, which holds Lockstep's advisory lock.
                try (var rs = statement.executeQuery(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")) {
                    rs.next();
                    if (rs.getInt(1) != 1) {
                        throw new SQLException("not under the migration lock");
                    }
                }
            }
        });

        MigrateResult result =
                Migrator.create(config().javaMigration(backfill).build()).migrate();

        assertEquals(
                List.of("001", "2", "003"),
                result.applied().stream().map(AppliedMigration::name).toList());
        assertEquals(List.of("ADA", "GRACE"), database.strings("SELECT name FROM users ORDER BY id"));
        assertEquals(
                List.of("001_users.sql|SQL", backfill.getClass().getName() + "|JAVA", "003_index.sql|SQL"),
                database.strings("SELECT script || '|' || type FROM schema_migrations ORDER BY applied_rank"));
    }

    @Test
    void aThrowingJavaMigrationTakesTheWholeDeployBack() throws Exception {
        scripts();
        JavaMigration throwing = migration(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE users ADD COLUMN first text");
            }
            throw new SQLException("no such user: 3", "P0002");
        });

        MigrationFailedException failed = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(config().javaMigration(throwing).build()).migrate());

        assertEquals(Optional.of(MigrationVersion.parse("2")), failed.version());
        assertEquals("P0002", failed.sqlState());
        assertTrue(failed.getMessage().contains(throwing.getClass().getName()), failed.getMessage());
        assertEquals(List.of(), tablesNamed("users"), "001 rolled back with it");
        assertEquals(List.of(), tablesNamed("schema_migrations"));
    }

    @Test
    void aJavaMigrationMayNotCommitTheDeploy() throws Exception {
        scripts();
        JavaMigration committing = migration(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM users");
            }
            connection.commit();
        });

        MigrationFailedException failed = assertThrows(
                MigrationFailedException.class,
                () -> Migrator.create(config().javaMigration(committing).build())
                        .migrate());

        assertEquals("25000", failed.sqlState());
        assertEquals(List.of(), tablesNamed("users"), "nothing of the deploy was committed");
    }
}
