package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.lockstep.AdoptFrom;
import org.lockstep.AdoptResult;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseException;
import org.lockstep.MigrateResult;
import org.lockstep.Migrator;

/**
 * Adoption on PostgreSQL, where the other tool's table is in the same database: a database
 * Flyway itself migrated (flyway-core with flyway-database-postgresql), and golang-migrate's
 * table as {@code ensureVersionTable} in {@code database/postgres/postgres.go} creates it.
 */
final class PostgresAdoptionTest extends PostgresCase {
    @Test
    void aDatabaseFlywayMigratedIsAdoptedWithFlywaysTimesAndMigrateAppliesOnlyTheNewScript() throws Exception {
        script("V1__create_notes.sql", "CREATE TABLE notes (id bigserial PRIMARY KEY, body text NOT NULL);\n");
        script(
                "V2__note_touch.sql",
                "ALTER TABLE notes ADD COLUMN touched timestamptz;\r\n"
                        + "CREATE FUNCTION touch() RETURNS trigger AS $$\r\nBEGIN\r\n  NEW.touched := now();\r\n"
                        + "  RETURN NEW;\r\nEND;\r\n$$ LANGUAGE plpgsql;\r\n");
        script("V3__seed.sql", "INSERT INTO notes (body) VALUES ('naïve; café');\n");
        Flyway.configure()
                .dataSource(database.url(), role, rolePassword)
                .locations("filesystem:" + scripts)
                .load()
                .migrate();

        AdoptResult adopted = Migrator.create(config().build()).adopt(AdoptFrom.detect());
        script("V4__index.sql", "CREATE INDEX notes_body ON notes (body);\n");
        MigrateResult migrated = Migrator.create(config().build()).migrate();

        assertEquals(3, adopted.adopted().size());
        assertTrue(adopted.checksumsVerified());
        assertEquals(
                "adopted from flyway (by " + role + ")",
                adopted.adopted().get(0).appliedBy());
        assertEquals(
                List.of("3"),
                database.strings("SELECT count(*) FROM schema_migrations s JOIN flyway_schema_history f"
                        + " ON f.version = s.version WHERE s.applied_at = date_trunc('milliseconds',"
                        + " f.installed_on::timestamptz)"));
        assertEquals(1, migrated.applied().size());
        assertEquals("4", migrated.applied().get(0).name());
        Migrator.create(config().build()).validate();
    }

    @Test
    void golangMigratesTableHoldsTheHistoryNameSoAdoptionGoesToAnotherTable() throws Exception {
        script("1_create_notes.up.sql", "CREATE TABLE notes (id bigint PRIMARY KEY);\n");
        script("2_create_tags.up.sql", "CREATE TABLE tags (id bigint PRIMARY KEY);\n");
        // database/postgres/postgres.go, ensureVersionTable and SetVersion
        executeAsRole(
                "CREATE TABLE IF NOT EXISTS \"public\".\"schema_migrations\""
                        + " (version bigint not null primary key, dirty boolean not null)",
                "CREATE TABLE notes (id bigint PRIMARY KEY)",
                "TRUNCATE \"public\".\"schema_migrations\"",
                "INSERT INTO \"public\".\"schema_migrations\" (version, dirty) VALUES (1, false)");

        DatabaseException occupied = assertThrows(
                DatabaseException.class, () -> Migrator.create(config().build()).adopt(AdoptFrom.detect()));
        AdoptResult adopted = Migrator.create(
                        config().historyTable("lockstep_history").build())
                .adopt(AdoptFrom.detect());
        MigrateResult migrated = Migrator.create(
                        config().historyTable("lockstep_history").build())
                .migrate();

        assertEquals(DatabaseException.Reason.ADOPTION_REFUSED, occupied.reason());
        assertTrue(occupied.getMessage().contains("It looks like golang-migrate's history"), occupied.getMessage());
        assertEquals("public.schema_migrations", adopted.table());
        assertEquals(1, adopted.adopted().size());
        assertEquals(
                List.of("2"),
                migrated.applied().stream().map(AppliedMigration::name).toList());
        assertEquals(List.of("1|false"), database.strings("SELECT version || '|' || dirty FROM schema_migrations"));
    }

    @Test
    void aDirtyGolangMigrateDatabaseIsRefusedAndNothingIsWritten() throws Exception {
        script("1_create_notes.up.sql", "CREATE TABLE notes (id bigint PRIMARY KEY);\n");
        executeAsRole(
                "CREATE TABLE IF NOT EXISTS \"public\".\"schema_migrations\""
                        + " (version bigint not null primary key, dirty boolean not null)",
                "INSERT INTO \"public\".\"schema_migrations\" (version, dirty) VALUES (1, true)");

        DatabaseException blocked = assertThrows(
                DatabaseException.class,
                () -> Migrator.create(config().historyTable("lockstep_history").build())
                        .adopt(AdoptFrom.detect()));

        assertEquals(DatabaseException.Reason.ADOPTION_BLOCKED, blocked.reason());
        assertEquals(List.of(), tablesNamed("lockstep_history"));
    }
}
