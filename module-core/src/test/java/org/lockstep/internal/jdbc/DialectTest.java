package org.lockstep.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.lockstep.DatabaseException;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.postgres.PostgresDatabase;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sqlite.SqliteDatabase;

/** Which dialect a URL or a connection names, and the checked opening of a session. */
final class DialectTest {
    private static final List<Dialect> DIALECTS = List.of(SqliteDatabase.DIALECT, PostgresDatabase.DIALECT);

    /** A source of connections that report {@code product}, counting those opened and closed. */
    private static final class Source implements ConnectionSource {
        final String product;
        final boolean closeFails;
        final AtomicInteger opened = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        Source(String product, boolean closeFails) {
            this.product = product;
            this.closeFails = closeFails;
        }

        @Override
        public Connection open() throws SQLException {
            if (product == null) {
                throw new SQLException("unable to open database file");
            }
            opened.incrementAndGet();
            DatabaseMetaData metaData = (DatabaseMetaData) Proxy.newProxyInstance(
                    DatabaseMetaData.class.getClassLoader(),
                    new Class<?>[] {DatabaseMetaData.class},
                    (p, m, a) -> m.getName().equals("getDatabaseProductName") ? product : null);
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                        switch (m.getName()) {
                            case "getMetaData":
                                return metaData;
                            case "close":
                                closed.incrementAndGet();
                                if (closeFails) {
                                    throw new SQLException("close failed");
                                }
                                return null;
                            default:
                                throw new UnsupportedOperationException(m.getName());
                        }
                    });
        }

        @Override
        public String describe() {
            return "test.db";
        }
    }

    @Test
    void aUrlNamesItsDialectByItsPrefix() {
        assertEquals(Optional.of(SqliteDatabase.DIALECT), Dialect.ofUrl(DIALECTS, "jdbc:sqlite:app.db"));
        assertEquals(Optional.of(PostgresDatabase.DIALECT), Dialect.ofUrl(DIALECTS, "jdbc:postgresql://db/app"));
        assertEquals(Optional.empty(), Dialect.ofUrl(DIALECTS, "jdbc:p6spy:sqlite:app.db"));
        assertTrue(SqliteDatabase.DIALECT.accepts("jdbc:sqlite:"));
        assertFalse(SqliteDatabase.DIALECT.accepts("jdbc:sqlit"));
    }

    @Test
    void detectAsksTheConnectionForItsProductInAnyCaseAndClosesIt() {
        Source source = new Source("postgresql", false);

        assertSame(PostgresDatabase.DIALECT, Dialect.detect(DIALECTS, source));
        assertEquals(1, source.opened.get());
        assertEquals(1, source.closed.get());
        assertSame(SqliteDatabase.DIALECT, Dialect.detect(DIALECTS, new Source("SQLite", false)));
    }

    @Test
    void detectRefusesAnotherProductNamingTheSupportedOnes() {
        DatabaseException e =
                assertThrows(DatabaseException.class, () -> Dialect.detect(DIALECTS, new Source("MySQL", false)));

        assertEquals(DatabaseException.Reason.UNSUPPORTED, e.reason());
        assertEquals("Database [test.db] is [MySQL]; Lockstep supports [SQLite, PostgreSQL]", e.getMessage());
    }

    @Test
    void detectReportsADatabaseThatCannotBeOpened() {
        DatabaseException e =
                assertThrows(DatabaseException.class, () -> Dialect.detect(DIALECTS, new Source(null, false)));

        assertEquals(DatabaseException.Reason.CANNOT_OPEN, e.reason());
        assertEquals(
                "Database [test.db] cannot be opened to learn its product: unable to open database file",
                e.getMessage());
        assertEquals("unable to open database file", e.getCause().getMessage());
    }

    @Test
    void openMakesASessionOfAConnectionOfTheRightProductAndKeepsItOpen() throws SQLException {
        Source source = new Source("SQLITE", false);
        Session made = (Session) Proxy.newProxyInstance(
                Session.class.getClassLoader(), new Class<?>[] {Session.class}, (p, m, a) -> null);

        assertSame(made, Dialect.open(source, "SQLite", connection -> made));
        assertEquals(0, source.closed.get());
    }

    @Test
    void openClosesTheConnectionOfAnotherProduct() {
        Source source = new Source("PostgreSQL", false);

        DatabaseException e = assertThrows(
                DatabaseException.class,
                () -> Dialect.open(source, "SQLite", connection -> {
                    throw new AssertionError("no session of the wrong product");
                }));

        assertEquals(DatabaseException.Reason.UNSUPPORTED, e.reason());
        assertEquals("Database [test.db] is [PostgreSQL], not SQLite as its URL says", e.getMessage());
        assertEquals(1, source.closed.get());
    }

    @Test
    void openClosesTheConnectionWhenTheSessionCannotBeMadeAndKeepsTheCloseFailure() {
        Source source = new Source("SQLite", true);

        SQLException e = assertThrows(
                SQLException.class,
                () -> Dialect.open(source, "SQLite", connection -> {
                    throw new SQLException("no session");
                }));

        assertEquals("no session", e.getMessage());
        assertEquals(1, source.closed.get());
        assertEquals("close failed", e.getSuppressed()[0].getMessage());
    }

    @Test
    void theDatabaseOfADialectIsMadeFromTheSourceAndTheHistoryName() {
        Database database =
                SqliteDatabase.DIALECT.database(new Source("SQLite", false), new HistoryName("h", Optional.empty()));

        assertTrue(database instanceof SqliteDatabase, database::toString);
        assertEquals("test.db", database.describe());
    }
}
