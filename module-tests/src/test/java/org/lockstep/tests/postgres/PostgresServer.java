package org.lockstep.tests.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.lockstep.MigrationConfig;

/**
 * The PostgreSQL server the tests run against, on loopback: {@code .ci/run} starts one and
 * sets {@code LOCKSTEP_TEST_PG_URL} (a JDBC URL without credentials),
 * {@code LOCKSTEP_TEST_PG_USER} and {@code LOCKSTEP_TEST_PG_PASSWORD}. Each test works in a
 * schema of its own, which its URL makes current ({@code currentSchema=...}).
 *
 * <p>Never skipped silently: with {@code CI=true} a missing or unreachable server fails the
 * test; elsewhere the test is skipped with an assumption that says how to provide one.
 */
final class PostgresServer {
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    final String baseUrl;
    final String user;
    final String password;

    private PostgresServer(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** The server, or a failure (in CI) or skip (elsewhere) saying why there is none. */
    static PostgresServer require() {
        String url = System.getenv("LOCKSTEP_TEST_PG_URL");
        PostgresServer server = url == null || url.isBlank() ? null : new PostgresServer(url,
                System.getenv().getOrDefault("LOCKSTEP_TEST_PG_USER", "postgres"),
                System.getenv().getOrDefault("LOCKSTEP_TEST_PG_PASSWORD", ""));
        String problem = server == null ? "LOCKSTEP_TEST_PG_URL is not set" : server.unreachable();
        if (problem != null) {
            String message = "PostgreSQL tests need a server: " + problem + ". .ci/run starts one; to run them"
                    + " locally, set LOCKSTEP_TEST_PG_URL (e.g. jdbc:postgresql://127.0.0.1:5432/postgres),"
                    + " LOCKSTEP_TEST_PG_USER and LOCKSTEP_TEST_PG_PASSWORD";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        return server;
    }

    private String unreachable() {
        try (Connection connection = connect(baseUrl)) {
            return null;
        } catch (SQLException e) {
            return "cannot connect to [" + baseUrl + "] as [" + user + "]: " + e.getMessage();
        }
    }

    Connection connect(String url) throws SQLException {
        Properties info = new Properties();
        info.setProperty("user", user);
        info.setProperty("password", password);
        return DriverManager.getConnection(url, info);
    }

    /** Creates a new, empty schema and returns it. */
    Schema freshSchema() throws SQLException {
        String name = "lockstep_t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet() + "_"
                + Long.toHexString(System.nanoTime() & 0xffffff);
        try (Connection connection = connect(baseUrl); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + name);
        }
        String separator = baseUrl.contains("?") ? "&" : "?";
        return new Schema(this, name, baseUrl + separator + "currentSchema=" + name);
    }

    /** The advisory lock key Lockstep documents for a history table. */
    static long lockKey(String schema, String table) throws NoSuchAlgorithmException {
        byte[] hash = MessageDigest.getInstance("SHA-256")
                .digest(("lockstep:" + schema + "." + table).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(hash, 0, 8).getLong();
    }

    /** One test's schema. */
    record Schema(PostgresServer server, String name, String url) {

        MigrationConfig.Builder config(Path scripts, String owner) {
            return MigrationConfig.builder().url(url, server.user, server.password).location(scripts).owner(owner);
        }

        Connection connect() throws SQLException {
            return server.connect(url);
        }

        long count(String sql) throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        List<String> strings(String sql) throws SQLException {
            List<String> values = new ArrayList<>();
            try (Connection connection = connect(); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery(sql)) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
            return values;
        }

        void execute(String... sql) throws SQLException {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                for (String s : sql) {
                    statement.execute(s);
                }
            }
        }

        List<String> tables() throws SQLException {
            return strings("SELECT table_name FROM information_schema.tables WHERE table_schema = '" + name
                    + "' ORDER BY table_name");
        }

        /** Every table's columns and rows, as text: equal dumps mean equal schemas. */
        String dump() throws SQLException {
            StringBuilder dump = new StringBuilder();
            dump.append(strings("SELECT table_name || '.' || column_name || ' ' || data_type FROM"
                    + " information_schema.columns WHERE table_schema = '" + name + "' ORDER BY 1"));
            dump.append(strings("SELECT indexname FROM pg_indexes WHERE schemaname = '" + name + "' ORDER BY 1"));
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                for (String table : tables()) {
                    dump.append('\n').append(table).append(':');
                    try (ResultSet rs = statement.executeQuery("SELECT * FROM " + name + ".\"" + table
                            + "\" ORDER BY 1")) {
                        int columns = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            dump.append(" (");
                            for (int i = 1; i <= columns; i++) {
                                dump.append(rs.getString(i)).append(i < columns ? "," : ")");
                            }
                        }
                    }
                }
            }
            return dump.toString();
        }

        /** Whether any session holds Lockstep's advisory lock for this schema's history table. */
        boolean lockHeld() throws Exception {
            long key = lockKey(name, "schema_migrations");
            return count("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = "
                    + (key >>> 32) + "::bigint::oid AND objid = " + (key & 0xffffffffL) + "::bigint::oid"
                    + " AND objsubid = 1") > 0;
        }
    }

    static void write(Path folder, String name, String text) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the herd scripts 1..to, as for SQLite: odd versions create a table; every version
     * inserts one row into {@code effects}, which is not idempotent, so a migration applied
     * twice shows as two rows with the same version.
     */
    static void writeHerdScripts(Path folder, int from, int to) {
        for (int v = from; v <= to; v++) {
            StringBuilder sql = new StringBuilder();
            if (v == 1) {
                sql.append("CREATE TABLE effects (version INTEGER NOT NULL, note TEXT);\n");
            }
            if (v % 2 == 1) {
                sql.append("CREATE TABLE t").append(v).append(" (id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                        + " label TEXT);\n");
                sql.append("INSERT INTO t").append(v).append(" (label) VALUES ('made by ").append(v).append("; once');\n");
            }
            sql.append("INSERT INTO effects (version, note) VALUES (").append(v).append(", 'applied');\n");
            write(folder, String.format("%03d_step_%d.sql", v, v), sql.toString());
        }
    }

    /** Each version in the history exactly once, each effect exactly once. */
    static void assertExactlyOnce(Schema schema, int versions) throws SQLException {
        Assertions.assertEquals(versions, schema.count("SELECT count(*) FROM schema_migrations"));
        Assertions.assertEquals(versions, schema.count("SELECT count(DISTINCT version) FROM schema_migrations"));
        Assertions.assertEquals(versions, schema.count("SELECT count(*) FROM effects"));
        Assertions.assertEquals(versions, schema.count("SELECT count(DISTINCT version) FROM effects"));
        for (int v = 1; v <= versions; v += 2) {
            Assertions.assertEquals(1, schema.count("SELECT count(*) FROM t" + v), "rows of t" + v);
        }
    }
}
