package org.lockstep.cli.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.lockstep.MigrationConfig;
import org.lockstep.MigrationListener;
import org.lockstep.MigrationVersion;

/**
 * A data source whose connections note the {@link System#nanoTime()} at which a
 * {@code COMMIT} statement returned: the instant a lock holder's commit became visible,
 * taken inside the holder's call rather than after {@code migrate()} returns.
 *
 * <p>Lockstep runs {@code COMMIT} as a statement on a connection in auto-commit mode (see
 * its {@code SqliteSession}); a commit by {@link Connection#commit()} is noted too.
 */
final class CommitClock {
    private final List<Long> commits = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch release;
    private volatile long releaseSeconds;

    /**
     * Returns the nanoTime at which the first COMMIT returned after an instant.
     *
     * @param after a {@link System#nanoTime()} value
     * @return the commit's nanoTime
     * @throws BenchmarkFailure if no COMMIT returned after it
     */
    long firstCommitAfter(long after) {
        return commits.stream()
                .filter(t -> t - after > 0)
                .findFirst()
                .orElseThrow(() -> new BenchmarkFailure("No COMMIT was seen after the lock was taken"));
    }

    /**
     * Returns the configuration of a lock holder whose commits this clock notes.
     *
     * @param database the database file
     * @param scripts the holder's migrations
     * @param started called in the holder's thread as its first migration starts, under the lock
     * @return the configuration
     */
    MigrationConfig holderConfig(Path database, Path scripts, Runnable started) {
        return MigrationConfig.builder()
                .dataSource(dataSource(Workbench.url(database)))
                .location(scripts)
                .owner("bench-holder")
                .listener(new MigrationListener() {
                    @Override
                    public void migrationStarted(Optional<MigrationVersion> version, String script, int statements) {
                        started.run();
                    }
                })
                .build();
    }

    /**
     * Returns a data source that opens connections through {@link DriverManager}.
     *
     * @param url the JDBC URL
     * @return the data source
     */
    DataSource dataSource(String url) {
        return proxy(DataSource.class, (target, method, args) -> {
            switch (method.getName()) {
                case "getConnection":
                    return proxy(
                            Connection.class,
                            connectionHandler(
                                    args == null
                                            ? DriverManager.getConnection(url)
                                            : DriverManager.getConnection(url, (String) args[0], (String) args[1])));
                case "toString":
                    return "CommitClock[" + url + "]";
                case "hashCode":
                    return System.identityHashCode(target);
                case "equals":
                    return target == args[0];
                case "isWrapperFor":
                    return false;
                case "getLoginTimeout":
                    return 0;
                case "getLogWriter":
                    return null;
                case "setLoginTimeout":
                case "setLogWriter":
                    return null;
                default:
                    throw new UnsupportedOperationException("CommitClock data source: " + method.getName());
            }
        });
    }

    private InvocationHandler connectionHandler(Connection connection) {
        return (target, method, args) -> {
            Object result = forward(connection, method, args);
            if (method.getName().equals("createStatement")) {
                return proxy(Statement.class, statementHandler((Statement) result));
            }
            if (method.getName().equals("commit")) {
                noteCommit();
            }
            return result;
        };
    }

    private InvocationHandler statementHandler(Statement statement) {
        return (target, method, args) -> {
            boolean commit = method.getName().startsWith("execute")
                    && args != null
                    && args.length >= 1
                    && args[0] instanceof String
                    && ((String) args[0]).strip().equalsIgnoreCase("COMMIT");
            if (commit) {
                awaitCommitRelease();
            }
            Object result = forward(statement, method, args);
            if (commit) {
                noteCommit();
            }
            return result;
        };
    }

    /**
     * Holds every {@code COMMIT} statement until {@code release} opens: the holder keeps the
     * lock until its waiters are all waiting.
     *
     * @param release the latch to wait for, at most {@code maxSeconds}
     * @param maxSeconds the longest a commit is held
     */
    void holdCommitsUntil(CountDownLatch release, long maxSeconds) {
        this.release = release;
        this.releaseSeconds = maxSeconds;
    }

    private void awaitCommitRelease() throws InterruptedException {
        CountDownLatch latch = release;
        if (latch != null && !latch.await(releaseSeconds, TimeUnit.SECONDS)) {
            throw new BenchmarkFailure(
                    "The commit was held past " + releaseSeconds + " s: its waiters never all waited");
        }
    }

    private void noteCommit() {
        commits.add(System.nanoTime());
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(CommitClock.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
