package org.lockstep.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lockstep.ConnectionInitializer;
import org.lockstep.DatabaseException;

/** Connections from a URL or a data source: credentials, missing drivers, and what a source is called. */
final class ConnectionSourceTest {
    private static final String SCHEME = "jdbc:lockstep-test:";

    /** Accepts {@code jdbc:lockstep-test://...} only, records what it was given, refuses "down" hosts. */
    private static final class RecordingDriver implements Driver {
        final List<Properties> given = new ArrayList<>();

        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            if (!acceptsURL(url)) {
                return null;
            }
            given.add(info);
            if (url.contains("swallow")) {
                Thread.interrupted(); // as sqlite-jdbc's first connection in a process may
            }
            if (url.contains("down")) {
                throw new SQLException("Connection refused", "08001");
            }
            return connection("LockstepTest", url);
        }

        @Override
        public boolean acceptsURL(String url) {
            return url.startsWith(SCHEME + "//");
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
            return new DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }
    }

    private final RecordingDriver driver = new RecordingDriver();

    static Connection connection(String product, String url) {
        DatabaseMetaData metaData = (DatabaseMetaData) Proxy.newProxyInstance(
                DatabaseMetaData.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getDatabaseProductName" -> product;
                    case "getURL" -> url;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getMetaData" -> metaData;
                    case "close" -> null;
                    case "isClosed" -> false;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @BeforeEach
    void register() throws SQLException {
        DriverManager.registerDriver(driver);
    }

    @AfterEach
    void deregister() throws SQLException {
        DriverManager.deregisterDriver(driver);
    }

    @Test
    void aThreadInterruptedBeforeItOpensIsStillInterruptedAfterADriverThatSwallowsIt() throws SQLException {
        // As sqlite-jdbc's first connection in a process does (its wait for getprop).
        DataSource swallowing = dataSource(() -> {
            Thread.interrupted();
            return connection("SQLite", "jdbc:sqlite:app.db");
        });
        for (ConnectionSource source :
                List.of(ConnectionSource.of(swallowing, "app"), ConnectionSource.of(SCHEME + "//swallow/app"))) {
            Thread.currentThread().interrupt();
            try {
                source.open().close();
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt the driver swallowed");
            } finally {
                Thread.interrupted();
            }
            source.open().close();
            assertFalse(Thread.currentThread().isInterrupted(), "and none made up for a thread that had none");
        }
    }

    private static DataSource dataSource(ConnectionSource.Opening opening) {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (p, m, a) -> {
                    if (m.getName().equals("getConnection") && a == null) {
                        return opening.open();
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void userAndPasswordAreGivenToTheDriverOnlyWhenThereAreAny() throws SQLException {
        String url = SCHEME + "//db/app";
        ConnectionSource.of(url, "me", "secret").open().close();
        ConnectionSource.of(url, "", "").open().close();
        ConnectionSource.of(url).open().close();

        assertEquals("me", driver.given.get(0).getProperty("user"));
        assertEquals("secret", driver.given.get(0).getProperty("password"));
        assertTrue(driver.given.get(1).isEmpty(), driver.given.get(1)::toString);
        assertTrue(driver.given.get(2).isEmpty(), driver.given.get(2)::toString);
    }

    @Test
    void aUrlSourceIsCalledByItsUrlWithoutThePassword() {
        ConnectionSource source = ConnectionSource.of(SCHEME + "//me:pw@db/app?password=pw");

        assertEquals(JdbcUrl.shown(SCHEME + "//me:pw@db/app?password=pw"), source.describe());
        assertFalse(source.describe().contains("pw@"), source.describe());
        assertEquals(Optional.of(SCHEME + "//me:pw@db/app?password=pw"), source.url());
    }

    @Test
    void aUrlNoDriverAcceptsIsReportedAsNoDriverWithoutItsPassword() {
        DatabaseException e = assertThrows(
                DatabaseException.class,
                () -> ConnectionSource.of("jdbc:nosuch:db?password=hunter2").open());

        assertEquals(DatabaseException.Reason.NO_DRIVER, e.reason());
        assertEquals(
                "No JDBC driver for [jdbc:nosuch:db?password=***] is on the class path or module path; add the"
                        + " database's driver",
                e.getMessage());
        assertFalse(e.getCause().getMessage().contains("hunter2"), e.getCause().getMessage());
        assertTrue(
                e.getCause().getMessage().contains("jdbc:nosuch:db?password=***"),
                "the driver's message keeps the URL, redacted: " + e.getCause().getMessage());
    }

    @Test
    void aMissingPostgresqlDriverIsNamed() {
        String url = "jdbc:postgresql://127.0.0.1:1/app";
        boolean driverPresent = DriverManager.drivers().anyMatch(d -> {
            try {
                return d.acceptsURL(url);
            } catch (SQLException e) {
                return false;
            }
        });

        Exception e = assertThrows(
                Exception.class, () -> ConnectionSource.of(url).open().close());

        if (driverPresent) {
            // Where the driver is on the class path (module-tests), the failure is the connection's.
            assertFalse(
                    e instanceof DatabaseException d && d.reason() == DatabaseException.Reason.NO_DRIVER, e::toString);
        } else {
            DatabaseException noDriver = (DatabaseException) e;
            assertEquals(DatabaseException.Reason.NO_DRIVER, noDriver.reason());
            assertTrue(noDriver.getMessage().endsWith(" (org.postgresql:postgresql)"), noDriver.getMessage());
        }
    }

    @Test
    void aUrlTheDriverOfItsSchemeRefusesIsMalformed() {
        DatabaseException e = assertThrows(
                DatabaseException.class,
                () -> ConnectionSource.of(SCHEME + "db-without-slashes").open());

        assertEquals(DatabaseException.Reason.UNSUPPORTED, e.reason());
        assertEquals(
                "URL [" + JdbcUrl.shown(SCHEME + "db-without-slashes") + "] is malformed: the JDBC driver for " + SCHEME
                        + " URLs is there but refuses it; check its host, port and database",
                e.getMessage());
    }

    @Test
    void theDriversOwnFailureIsThrownAsItIs() {
        SQLException e = assertThrows(
                SQLException.class,
                () -> ConnectionSource.of(SCHEME + "//down/app").open());

        assertEquals("Connection refused", e.getMessage());
        assertEquals("08001", e.getSQLState());
    }

    private static final class CountingDataSource implements DataSource {
        final AtomicInteger metaDataReads = new AtomicInteger();
        final String url;
        final boolean metaDataFails;

        CountingDataSource(String url, boolean metaDataFails) {
            this.url = url;
            this.metaDataFails = metaDataFails;
        }

        @Override
        public Connection getConnection() {
            Connection real = connection("LockstepTest", url);
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                        if (m.getName().equals("getMetaData")) {
                            metaDataReads.incrementAndGet();
                            if (metaDataFails) {
                                throw new SQLException("no metadata");
                            }
                        }
                        return m.invoke(real, a);
                    });
        }

        @Override
        public Connection getConnection(String username, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }

    @Test
    void aNamedDataSourceIsCalledByItsNameAndItsUrlIsNeverAsked() throws SQLException {
        CountingDataSource dataSource = new CountingDataSource(SCHEME + "//db/app", false);
        ConnectionSource source = ConnectionSource.of(dataSource, "orders");

        assertEquals("orders", source.describe());
        source.open().close();
        assertEquals("orders", source.describe());
        assertEquals(0, dataSource.metaDataReads.get());
        assertEquals(Optional.empty(), source.url());
    }

    @Test
    void anUnnamedDataSourceIsCalledByItsClassThenByTheUrlItsFirstConnectionReports() throws SQLException {
        CountingDataSource dataSource = new CountingDataSource(SCHEME + "//me:pw@db/app", false);
        ConnectionSource source = ConnectionSource.of(dataSource, null);

        assertEquals("CountingDataSource", source.describe());
        Connection first = source.open();
        source.open().close();
        first.close();

        assertEquals(JdbcUrl.shown(SCHEME + "//me:pw@db/app"), source.describe());
        assertEquals(1, dataSource.metaDataReads.get(), "the URL is learned once");
    }

    @Test
    void anUnnamedDataSourceWithoutAUrlIsCalledByItsClass() throws SQLException {
        CountingDataSource blank = new CountingDataSource(" ", false);
        ConnectionSource blankSource = ConnectionSource.of(blank, null);
        Connection connection = blankSource.open();
        assertEquals("CountingDataSource", blankSource.describe());
        assertSame(
                Connection.class, Connection.class.cast(connection).getClass().getInterfaces()[0]);

        CountingDataSource failing = new CountingDataSource(SCHEME + "//db/app", true);
        ConnectionSource failingSource = ConnectionSource.of(failing, null);
        failingSource.open().close();
        assertEquals("CountingDataSource", failingSource.describe());
    }

    // A connection that counts its closes, and throws from close if told to.
    private static Connection closing(AtomicInteger closes, SQLException onClose) {
        return (Connection) Proxy.newProxyInstance(
                Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        closes.incrementAndGet();
                        if (onClose != null) {
                            throw onClose;
                        }
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ConnectionSource pool(Connection connection) {
        return new ConnectionSource() {
            @Override
            public Connection open() {
                return connection;
            }

            @Override
            public String describe() {
                return "the application's pool";
            }

            @Override
            public Optional<String> url() {
                return Optional.of("jdbc:sqlite:/srv/app.db");
            }
        };
    }

    @Test
    void anInitializedSourceIsKnownAsTheSourceItWraps() {
        ConnectionSource initialized = ConnectionSource.initialized(pool(closing(new AtomicInteger(), null)), List::of);

        assertEquals("the application's pool", initialized.describe());
        assertEquals(Optional.of("jdbc:sqlite:/srv/app.db"), initialized.url());
    }

    @Test
    void aConnectionItsInitializerRefusedIsClosedAndTheErrorNamesTheInitializer() {
        AtomicInteger closes = new AtomicInteger();
        SQLException refusal = new SQLException("no such extension: unicode");
        ConnectionInitializer refusing = connection -> {
            throw refusal;
        };
        ConnectionSource initialized =
                ConnectionSource.initialized(pool(closing(closes, null)), () -> List.of(refusing));

        DatabaseException e = assertThrows(DatabaseException.class, initialized::open);

        assertEquals(1, closes.get(), "the refused connection was not closed");
        assertEquals(
                "Connection initializer [" + refusing.getClass().getName()
                        + "] failed on [the application's pool]: no such extension: unicode",
                e.getMessage());
        assertSame(refusal, e.getCause());
    }

    @Test
    void aCloseThatFailsAfterARefusalIsKeptWithTheRefusal() {
        SQLException onClose = new SQLException("connection reset");
        SQLException refusal = new SQLException("no such extension: unicode");
        ConnectionSource initialized = ConnectionSource.initialized(
                pool(closing(new AtomicInteger(), onClose)),
                () -> List.of(connection -> {
                    throw refusal;
                }));

        DatabaseException e = assertThrows(DatabaseException.class, initialized::open);

        assertSame(refusal, e.getCause());
        assertEquals(List.of(onClose), List.of(refusal.getSuppressed()));
    }
}
