package org.lockstep.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.LockHolder;

/**
 * Naming the holder of SQLite's write lock from {@code /proc/locks}: first against the kernel's
 * own table, with the lock held by a connection of this process in both journal modes; then,
 * with the kernel's line for the database copied into a {@code /proc} of the test's making, for
 * another process: its command line (long ones shortened, URLs' passwords masked), its state,
 * and the lines that are not the write lock (a read lock, another range, another file, a
 * blocked request) passed over.
 */
final class FileLocksTest {
    private static final long OTHER = 4242;

    @TempDir
    Path dir;

    private Path database;
    private Path proc;
    private Path locks;

    @BeforeEach
    void paths() throws IOException {
        database = dir.resolve("app.db");
        proc = Files.createDirectories(dir.resolve("proc"));
        locks = proc.resolve("locks");
    }

    private Connection holdingTheWriteLock(String journalMode) throws SQLException {
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode = " + journalMode);
            statement.execute("CREATE TABLE IF NOT EXISTS t (x)");
            statement.execute("BEGIN IMMEDIATE");
        }
        return connection;
    }

    private static final String THIS_PROCESS = "this process";

    @Test
    void aWriteLockOfThisProcessIsNamedInRollbackJournalMode() throws Exception {
        try (Connection holder = holdingTheWriteLock("DELETE")) {
            Optional<LockHolder> found = new FileLocks().writeLockHolder(database);

            assertEquals(ProcessHandle.current().pid(), found.orElseThrow().pid());
            assertEquals(THIS_PROCESS, found.get().description());
        }
        assertEquals(Optional.empty(), new FileLocks().writeLockHolder(database), "released");
    }

    @Test
    void aWriteLockOfThisProcessIsNamedInWalMode() throws Exception {
        try (Connection holder = holdingTheWriteLock("WAL")) {
            assertEquals(
                    ProcessHandle.current().pid(),
                    new FileLocks().writeLockHolder(database).orElseThrow().pid());
        }
    }

    // The kernel's lines for a file, taken while this process holds the database's write lock.
    private List<String> kernelLines() throws Exception {
        List<String> ours = new ArrayList<>();
        try (Connection holder = holdingTheWriteLock("DELETE")) {
            long inode = ((Number) Files.getAttribute(database, "unix:ino")).longValue();
            String pid = " " + ProcessHandle.current().pid() + " ";
            for (String line : Files.readAllLines(Path.of("/proc/locks"), StandardCharsets.US_ASCII)) {
                if (line.contains(pid) && line.contains(":" + inode + " ")) {
                    ours.add(line);
                }
            }
        }
        assertTrue(!ours.isEmpty(), "the kernel lists no lock of this process on the database");
        return ours;
    }

    // The same lines as another process's, in the test's /proc, with that process's files.
    private FileLocks asAnotherProcess(List<String> lines, String cmdline, String stat) throws IOException {
        List<String> moved = new ArrayList<>();
        for (String line : lines) {
            moved.add(line.replace(" " + ProcessHandle.current().pid() + " ", " " + OTHER + " "));
        }
        Files.write(locks, moved, StandardCharsets.US_ASCII);
        Path process = Files.createDirectories(proc.resolve(Long.toString(OTHER)));
        Files.writeString(process.resolve("cmdline"), cmdline);
        Files.writeString(process.resolve("stat"), stat);
        return new FileLocks(locks, proc);
    }

    @Test
    void anotherProcessIsNamedByItsCommandAndStateWithPasswordsMasked() throws Exception {
        FileLocks locks = asAnotherProcess(
                kernelLines(),
                "java\0-jar\0app.jar\0--url\0jdbc:postgresql://admin:hunter2@db/app\0",
                OTHER + " (java (app)) T 1 2 3");

        LockHolder holder = locks.writeLockHolder(database).orElseThrow();

        assertEquals(OTHER, holder.pid());
        assertEquals("java -jar app.jar --url jdbc:postgresql://admin:***@db/app", holder.description());
        assertEquals("stopped (SIGSTOP, or job control)", holder.state());
    }

    @Test
    void eachStateIsSaidInWords() throws Exception {
        List<String> lines = kernelLines();
        String[][] states = {
            {"t", "stopped by a debugger"},
            {"D", "waiting on I/O that does not return (a hung file system?)"},
            {"Z", "a zombie: exited, its parent has not reaped it"},
            {"R", "running"},
            {"S", "sleeping"},
            {"I", "sleeping"},
            {"X", "state X"},
        };
        for (String[] state : states) {
            FileLocks locks = asAnotherProcess(lines, "sqlite3\0app.db\0", OTHER + " (sqlite3) " + state[0] + " 1");
            assertEquals(state[1], locks.writeLockHolder(database).orElseThrow().state(), state[0]);
        }
    }

    @Test
    void aLongCommandKeepsItsHeadAndItsEnd() throws Exception {
        String options = "-Dx=" + "o".repeat(400);
        FileLocks locks = asAnotherProcess(
                kernelLines(), "java\0" + options + "\0-jar\0app.jar\0migrate\0", OTHER + " (java) S 1");

        String description = locks.writeLockHolder(database).orElseThrow().description();

        String whole = "java " + options + " -jar app.jar migrate";
        assertEquals(whole.substring(0, 80) + " ... " + whole.substring(whole.length() - 220), description);
    }

    @Test
    void linesThatAreNotTheWriteLockArePassedOver() throws Exception {
        List<String> lines = kernelLines();
        String line = lines.get(0).replace(" " + ProcessHandle.current().pid() + " ", " " + OTHER + " ");
        String[] fields = line.trim().split("\\s+");
        String id = fields[5];
        List<String> others = List.of(
                "1: POSIX  ADVISORY  READ " + OTHER + " " + id + " 1073741824 1073741826",
                "2: POSIX  ADVISORY  WRITE " + OTHER + " " + id + " 0 1073741823",
                "3: POSIX  ADVISORY  WRITE " + OTHER + " " + id + " 1073742337 EOF",
                "4: POSIX  ADVISORY  WRITE " + OTHER + " " + id.substring(0, id.lastIndexOf(':')) + ":1 0 EOF",
                "5: -> POSIX  ADVISORY  WRITE " + OTHER + " " + id + " 1073741825 1073741825",
                "6: FLOCK  ADVISORY  WRITE " + OTHER + " " + id + " 0 EOF",
                "7: POSIX  ADVISORY  WRITE " + OTHER + " " + id + " x 1073741825",
                "8: POSIX  ADVISORY  WRITE " + OTHER + " 08:01 0 EOF",
                "garbage");
        Files.write(locks, others, StandardCharsets.US_ASCII);
        Files.createDirectories(proc.resolve(Long.toString(OTHER)));

        assertEquals(Optional.empty(), new FileLocks(locks, proc).writeLockHolder(database));

        // The same file's lock on the whole file (EOF) covers the write lock's byte.
        Files.write(
                locks, List.of("9: POSIX  ADVISORY  WRITE " + OTHER + " " + id + " 0 EOF"), StandardCharsets.US_ASCII);
        assertEquals(
                OTHER,
                new FileLocks(locks, proc)
                        .writeLockHolder(database)
                        .orElseThrow()
                        .pid());
    }

    @Test
    void aLockOnAnotherDeviceCountsOnlyIfItsProcessHasTheFileOpen() throws Exception {
        List<String> lines = kernelLines();
        List<String> elsewhere = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            String id = fields[5];
            String inode = id.substring(id.lastIndexOf(':'));
            elsewhere.add(line.replace(id, "00:99" + inode)); // an overlay reports another device
        }
        FileLocks locks = asAnotherProcess(elsewhere, "app\0", OTHER + " (app) S 1");

        assertEquals(Optional.empty(), locks.writeLockHolder(database), "no file of the process is the database");

        Path fds = Files.createDirectories(proc.resolve(Long.toString(OTHER)).resolve("fd"));
        Files.createSymbolicLink(fds.resolve("3"), database.toRealPath());
        assertEquals(OTHER, locks.writeLockHolder(database).orElseThrow().pid());
    }

    @Test
    void noLockTableMeansNoName() {
        assertEquals(Optional.empty(), new FileLocks(dir.resolve("missing"), proc).writeLockHolder(database));
    }
}
