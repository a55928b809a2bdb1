package org.lockstep.internal.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.jdbc.ConnectionSource;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.sql.SqlStatement;
import org.lockstep.internal.sqlite.SqliteDatabase;

/**
 * Keeps the simulated SQLite file honest: the same sequences of calls, on two connections,
 * against the simulator and against real SQLite (through the production {@code SqliteDatabase}),
 * must give the same outcomes, in rollback-journal and WAL mode.
 */
final class SimDatabaseDifferentialTest {
    @TempDir
    Path dir;

    /** One side of the comparison: two connections' worth of sessions and a look at effects. */
    private interface Side {
        Session open(String who) throws SQLException;

        List<String> effects() throws SQLException;

        boolean isBusy(SQLException e);
    }

    private Side real(String journalMode) throws SQLException {
        Path file = dir.resolve("real-" + journalMode + ".db");
        String url = "jdbc:sqlite:" + file + "?journal_mode=" + journalMode;
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE effects (name TEXT NOT NULL)");
        }
        Database database =
                new SqliteDatabase(ConnectionSource.of(url), new HistoryName("schema_migrations", Optional.empty()));
        return new Side() {
            @Override
            public Session open(String who) throws SQLException {
                return database.open();
            }

            @Override
            public List<String> effects() throws SQLException {
                List<String> names = new ArrayList<>();
                try (Connection c = DriverManager.getConnection(url);
                        Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT name FROM effects ORDER BY rowid")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                return names;
            }

            @Override
            public boolean isBusy(SQLException e) {
                return database.isBusy(e);
            }
        };
    }

    private static Side simulated() {
        Scheduler scheduler = new Scheduler(Tape.replay(List.of()), new ArrayList<>(), 0, 0, false, 1);
        SimDatabase sim = new SimDatabase(SimDatabase.State.EMPTY, 0, 0, Tape.replay(List.of()), new ArrayList<>());
        return new Side() {
            @Override
            public Session open(String who) throws SQLException {
                return sim.forWorker(scheduler.direct(who)).open();
            }

            @Override
            public List<String> effects() {
                return sim.committed().effects();
            }

            @Override
            public boolean isBusy(SQLException e) {
                return e.getErrorCode() == 5;
            }
        };
    }

    /** A call whose outcome is compared; returns a short description of what happened. */
    @FunctionalInterface
    private interface Call {
        String run() throws SQLException;
    }

    private static String outcome(Side side, Call call) {
        try {
            return call.run();
        } catch (SQLException e) {
            return side.isBusy(e) ? "BUSY" : "ERROR " + (e.getErrorCode() & 0xff);
        }
    }

    private static String read(Session session) throws SQLException {
        HistorySnapshot snapshot = session.readHistory();
        return snapshot.tableExists()
                ? snapshot.rows().stream()
                        .map(r -> r.version().toString())
                        .sorted()
                        .toList()
                        .toString()
                : "no table";
    }

    private static HistoryRow row(String version) {
        return new HistoryRow(MigrationVersion.parse(version), "d", version + "_d.sql", "c", Instant.EPOCH, "w", 0);
    }

    private static final SqlStatement EFFECT = new SqlStatement("INSERT INTO effects (name) VALUES ('e1')", 1);
    private static final SqlStatement FAILING = new SqlStatement("INSERT INTO no_such_table VALUES (1)", 1);

    /** The scenario every side runs; returns the outcomes in order. */
    private static List<String> scenario(Side side) throws SQLException {
        List<String> outcomes = new ArrayList<>();
        try (Session a = side.open("a");
                Session b = side.open("b")) {
            outcomes.add("a begin: "
                    + outcome(side, () -> {
                        a.lock(Duration.ofSeconds(1));
                        return "OK";
                    }));
            outcomes.add("b begin while a holds the lock: "
                    + outcome(side, () -> {
                        b.lock(Duration.ofSeconds(1));
                        return "OK";
                    }));
            outcomes.add("a create+insert+effect: "
                    + outcome(side, () -> {
                        a.createHistoryTable();
                        a.insertHistory(row("1"));
                        a.execute(EFFECT);
                        return "OK";
                    }));
            outcomes.add("a reads its own transaction: " + outcome(side, () -> read(a)));
            outcomes.add("b reads committed only: " + outcome(side, () -> read(b)));
            outcomes.add("effects before commit: " + side.effects());
            outcomes.add("a commit: "
                    + outcome(side, () -> {
                        a.commit();
                        return "OK";
                    }));
            outcomes.add("b reads after commit: " + outcome(side, () -> read(b)));
            outcomes.add("effects after commit: " + side.effects());
            outcomes.add("b begin after commit: "
                    + outcome(side, () -> {
                        b.lock(Duration.ofSeconds(1));
                        return "OK";
                    }));
            outcomes.add("b duplicate version: "
                    + outcome(side, () -> {
                        b.insertHistory(row("1"));
                        return "OK";
                    }));
            outcomes.add("b failing statement: "
                    + outcome(side, () -> {
                        b.execute(FAILING);
                        return "OK";
                    }));
            outcomes.add("b effect then close without commit: "
                    + outcome(side, () -> {
                        b.insertHistory(row("2"));
                        b.execute(EFFECT);
                        return "OK";
                    }));
        }
        try (Session c = side.open("c")) {
            outcomes.add("after close, nothing of b remains: " + outcome(side, () -> read(c)));
            outcomes.add("effects: " + side.effects());
            outcomes.add("after close, the lock is free: "
                    + outcome(side, () -> {
                        c.lock(Duration.ofSeconds(1));
                        return "OK";
                    }));
        }
        return outcomes;
    }

    @ParameterizedTest(name = "journal_mode={0}")
    @ValueSource(strings = {"DELETE", "WAL"})
    void simulatorAndRealSqliteAgreeCallByCall(String journalMode) throws SQLException {
        List<String> expected = scenario(real(journalMode));

        assertEquals(expected, scenario(simulated()));
        assertEquals("b begin while a holds the lock: BUSY", expected.get(1), "the real side is not what we model");
        assertEquals("b reads committed only: no table", expected.get(4));
        assertEquals("b duplicate version: ERROR 19", expected.get(10));
        assertEquals("b failing statement: ERROR 1", expected.get(11));
        assertEquals("after close, nothing of b remains: [1]", expected.get(13));
    }
}
