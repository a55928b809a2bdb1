import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The floor under bench row 4c: how soon N freshly started JVM processes notice a commit when
 * they do nothing else, no Lockstep code at all. Each process opens the database, reads
 * {@code PRAGMA data_version}, and blocks on the kernel's file events for the database's folder
 * (inotify, through {@link WatchService}, as Lockstep's waiting process does); on each event it
 * reads the token again, and once it has moved it prints the time. This process commits one row
 * and reports, per round, each process's time from the instant the {@code COMMIT} returned to
 * the instant it noticed, as 4c measures from the holder's commit to a waiter's return.
 *
 * <pre>
 *   java -cp SQLITE_JDBC_JAR build/WakeFloor.java [PROCESSES [ROUNDS]]
 * </pre>
 *
 * Both instants are {@link System#nanoTime()}, the host's monotonic clock on Linux, which every
 * process reads alike; elsewhere the figures mean nothing. A process that notices before the
 * committing call has returned gives a negative figure. The processes start with this JVM's
 * {@code java} and class path; the runtime image's own start-up archive is not used, which
 * only makes the floor lower than the image's.
 */
public final class WakeFloor {
    private WakeFloor() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("watch")) {
            watch(Path.of(args[1]));
            return;
        }
        int processes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        String java = ProcessHandle.current().info().command().orElse("java");
        String source = sourceFile();
        List<Double> all = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Path folder = Files.createTempDirectory("wake-floor");
            Path database = folder.resolve("floor.db");
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                    Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE t (x)");
            }
            List<Process> started = new ArrayList<>();
            List<BufferedReader> outputs = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                Process process = new ProcessBuilder(
                                java,
                                "-cp",
                                System.getProperty("java.class.path"),
                                source,
                                "watch",
                                database.toString())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                started.add(process);
                outputs.add(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader output : outputs) {
                String line = output.readLine();
                if (!"watching".equals(line)) {
                    throw new IllegalStateException("A watching process said [" + line + "]");
                }
            }
            // Harness only: a process says "watching" just before it blocks on the events; the
            // pause lets the last ones reach the block, as 4c's holder lets its waiters settle.
            Thread.sleep(1000);
            long committed;
            try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                    Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                statement.execute("INSERT INTO t VALUES (1)");
                statement.execute("COMMIT");
                committed = System.nanoTime();
            }
            List<Double> latencies = new ArrayList<>();
            for (BufferedReader output : outputs) {
                latencies.add((Long.parseLong(output.readLine().strip()) - committed) / 1e6);
            }
            for (Process process : started) {
                process.waitFor();
            }
            try (var files = Files.list(folder)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
            Files.delete(folder);
            Collections.sort(latencies);
            all.addAll(latencies);
            medians.add(latencies.get(latencies.size() / 2));
            System.out.printf(
                    Locale.ROOT,
                    "round %d: median %.3f ms (min %.3f, max %.3f)%n",
                    round,
                    latencies.get(latencies.size() / 2),
                    latencies.get(0),
                    latencies.get(latencies.size() - 1));
        }
        Collections.sort(all);
        Collections.sort(medians);
        System.out.printf(
                Locale.ROOT,
                "%d processes, %d rounds: median %.3f ms, p99 %.3f ms; rounds' medians %.3f to %.3f ms%n",
                processes,
                rounds,
                all.get(all.size() / 2),
                all.get(Math.min(all.size() - 1, (int) Math.ceil(all.size() * 0.99) - 1)),
                medians.get(0),
                medians.get(medians.size() - 1));
    }

    // The source file this program was launched from, for the watching processes.
    private static String sourceFile() {
        for (String argument : ProcessHandle.current().info().arguments().orElseThrow()) {
            if (argument.endsWith(".java")) {
                return argument;
            }
        }
        throw new IllegalStateException("Run it as a source file: java -cp SQLITE_JDBC_JAR build/WakeFloor.java");
    }

    // One watching process: ready, then blocked on file events until the token moves.
    private static void watch(Path database) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
                WatchService events = FileSystems.getDefault().newWatchService()) {
            database.getParent()
                    .register(
                            events,
                            StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE);
            long token = token(connection);
            // Everything the wake-up runs, run once before it: the floor is the wake-up itself.
            System.out.println(Long.toString(System.nanoTime()).isEmpty() ? "" : "watching");
            System.out.flush();
            while (true) {
                WatchKey key = events.take();
                key.pollEvents();
                key.reset();
                if (token(connection) != token) {
                    break;
                }
            }
            System.out.println(System.nanoTime());
        }
    }

    private static long token(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA data_version")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
