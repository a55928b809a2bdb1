package org.lockstep.internal.sim;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.protocol.Database;
import org.lockstep.internal.protocol.ForwardingDatabase;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.script.MigrationScript;

/**
 * Known-broken variants of the protocol, for proving that the properties catch them. Each
 * wraps the database the real protocol sees, so that the protocol behaves exactly like the
 * broken designs this project exists to replace. Test code only.
 */
final class BrokenProtocols {
    private BrokenProtocols() {}

    /**
     * Decides "already migrated" from a row count, like the design Lockstep grew from
     * ({@code SELECT COUNT(*) FROM schema_migrations > 0}): once any row exists, every
     * script looks applied.
     */
    static Simulation.Variant rowCount(List<MigrationScript> scripts) {
        return database -> new Wrapped(database) {
            @Override
            Session wrap(Session session) {
                return new ForwardingSession(session) {
                    @Override
                    public HistorySnapshot readHistory() throws SQLException {
                        HistorySnapshot real = super.readHistory();
                        if (real.rows().isEmpty()) {
                            return real;
                        }
                        List<HistoryRow> all = new ArrayList<>();
                        for (MigrationScript s : scripts) {
                            all.add(new HistoryRow(
                                    s.version(),
                                    s.description(),
                                    s.fileName(),
                                    s.checksum(),
                                    Instant.EPOCH,
                                    "count>0",
                                    0));
                        }
                        return new HistorySnapshot(true, all, real.hasOtherTables());
                    }
                };
            }
        };
    }

    /** Does not re-read the history under the lock: decides from the read made before it. */
    static Simulation.Variant noRereadUnderLock() {
        return database -> new Wrapped(database) {
            @Override
            Session wrap(Session session) {
                return new ForwardingSession(session) {
                    private HistorySnapshot first;

                    @Override
                    public HistorySnapshot readHistory() throws SQLException {
                        if (first == null) {
                            first = super.readHistory();
                        }
                        return first;
                    }
                };
            }
        };
    }

    /** Commits the scripts' effects, then writes their history rows in a second transaction. */
    static Simulation.Variant historyInSeparateTransaction() {
        return database -> new Wrapped(database) {
            @Override
            Session wrap(Session session) {
                return new ForwardingSession(session) {
                    private final List<HistoryRow> rows = new ArrayList<>();

                    @Override
                    public void insertHistory(HistoryRow row) {
                        rows.add(row);
                    }

                    @Override
                    public void commit() throws SQLException {
                        super.commit();
                        super.lock(java.time.Duration.ofSeconds(1));
                        for (HistoryRow row : rows) {
                            super.insertHistory(row);
                        }
                        rows.clear();
                        super.commit();
                    }
                };
            }
        };
    }

    /**
     * Upgrades the history table in a transaction of its own, committed before the deploy that
     * needed it: a crash or failure in between leaves an upgraded table with nothing that needed it.
     */
    static Simulation.Variant upgradeInSeparateTransaction() {
        return database -> new Wrapped(database) {
            @Override
            Session wrap(Session session) {
                return new ForwardingSession(session) {
                    @Override
                    public void upgradeHistoryTable(List<HistoryRow> rows) throws SQLException {
                        super.upgradeHistoryTable(rows);
                        super.commit();
                        super.lock(java.time.Duration.ofSeconds(1));
                    }
                };
            }
        };
    }

    private abstract static class Wrapped extends ForwardingDatabase {
        Wrapped(Database delegate) {
            super(delegate);
        }

        abstract Session wrap(Session session);

        @Override
        public Session open() throws SQLException {
            return wrap(super.open());
        }
    }
}
