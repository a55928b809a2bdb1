package org.lockstep.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.postgres.PostgresDatabase;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.sqlite.SqliteDatabase;
import org.sqlite.SQLiteDataSource;

/**
 * A history table's identity, which lets a read made by one call stand for another's (issue 14):
 * the same only where both reach the same table of the same database in the same way, and absent
 * wherever that cannot be told.
 */
final class HistoryIdentityTest {
    private static final HistoryName HISTORY = new HistoryName("schema_migrations", Optional.empty());

    private static Optional<String> sqlite(String url, String user, HistoryName history) {
        return SqliteDatabase.DIALECT
                .database(SqliteDatabase.DIALECT.connections().of(url, user, null), history)
                .historyIdentity();
    }

    @Test
    void theSameUrlUserAndTableAreTheSameHistory() {
        Optional<String> one = sqlite("jdbc:sqlite:/tmp/app.db", null, HISTORY);

        assertTrue(one.isPresent());
        assertEquals(one, sqlite("jdbc:sqlite:/tmp/app.db", null, HISTORY));
    }

    @Test
    void anotherFileUserTableOrSchemaIsAnotherHistory() {
        Optional<String> one = sqlite("jdbc:sqlite:/tmp/app.db", null, HISTORY);

        for (Optional<String> other : List.of(
                sqlite("jdbc:sqlite:/tmp/other.db", null, HISTORY),
                sqlite("jdbc:sqlite:/tmp/app.db", "someone", HISTORY),
                sqlite("jdbc:sqlite:/tmp/app.db", null, new HistoryName("flyway_schema_history", Optional.empty())),
                sqlite("jdbc:sqlite:/tmp/app.db", null, new HistoryName("schema_migrations", Optional.of("main"))))) {
            assertTrue(other.isPresent());
            assertNotEquals(one, other);
        }
        assertNotEquals(
                sqlite("jdbc:sqlite:/tmp/app.db", "alice", HISTORY),
                sqlite("jdbc:sqlite:/tmp/app.db", "bob", HISTORY),
                "two users");
    }

    @Test
    void anotherProductIsAnotherHistory() {
        Database postgres = PostgresDatabase.DIALECT.database(
                ConnectionSource.of("jdbc:postgresql://localhost/app", "app", null), HISTORY);
        Database sqlite = SqliteDatabase.DIALECT.database(
                ConnectionSource.of("jdbc:postgresql://localhost/app", "app", null), HISTORY);

        assertNotEquals(postgres.historyIdentity(), sqlite.historyIdentity());
    }

    @Test
    void noIdentityWhereConnectionsCannotBeToldApart() {
        for (String memory : List.of(
                "jdbc:sqlite::memory:",
                "jdbc:sqlite:",
                "jdbc:sqlite:file::memory:?cache=shared",
                "jdbc:sqlite:file:named?mode=memory&cache=shared")) {
            assertEquals(Optional.empty(), sqlite(memory, null, HISTORY), memory + ": each Migrator its own database");
        }
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:/tmp/app.db");
        assertEquals(
                Optional.empty(),
                SqliteDatabase.DIALECT
                        .database(ConnectionSource.of(dataSource, null), HISTORY)
                        .historyIdentity(),
                "a data source");
        assertEquals(
                Optional.empty(),
                SqliteDatabase.DIALECT
                        .database(
                                ConnectionSource.initialized(ConnectionSource.of("jdbc:sqlite:/tmp/app.db"), List::of),
                                HISTORY)
                        .historyIdentity(),
                "connections that initializers prepare, which may set what the history's name resolves to");
    }
}
