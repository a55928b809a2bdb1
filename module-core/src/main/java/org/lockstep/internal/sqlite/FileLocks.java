package org.lockstep.internal.sqlite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.lockstep.LockHolder;
import org.lockstep.internal.jdbc.JdbcUrl;

/**
 * Who holds SQLite's write lock on a database file, as Linux tells it: {@code /proc/locks} lists
 * every POSIX lock with the owning process, the file's device and inode and the byte range
 * (https://man7.org/linux/man-pages/man5/proc.5.html). SQLite's unix VFS takes its locks with
 * {@code fcntl}, on fixed bytes (https://www.sqlite.org/lockingv3.html, {@code os_unix.c}):
 * <ul>
 *   <li>rollback-journal modes: the RESERVED lock that {@code BEGIN IMMEDIATE} takes is a write
 *       lock on byte {@code 0x40000001} of the database file (PENDING, {@code 0x40000000}, and the
 *       shared range above it for an EXCLUSIVE lock during a commit);</li>
 *   <li>WAL mode: the write lock is a write lock on byte 120 of the {@code -shm} file.</li>
 * </ul>
 * The process is then named by {@code /proc/PID/cmdline} and its state by {@code /proc/PID/stat}
 * ({@code T}: stopped, {@code D}: waiting on I/O, as on a hung network mount).
 *
 * <p>Linux only; elsewhere, or if anything cannot be read, there is no name. A lock whose device
 * differs (an overlay file system reports another device to {@code stat} than to
 * {@code /proc/locks}) is accepted by inode only if the process has the file open.
 */
final class FileLocks {
    private static final long PENDING_BYTE = 0x40000000L;
    private static final long RESERVED_BYTE = 0x40000001L;
    private static final long SHARED_LAST = 0x40000002L + 510;
    private static final long WAL_WRITE_LOCK = 120;
    private static final int MAX_COMMAND = 300;
    private static final int COMMAND_HEAD = 80;

    private final Path procLocks;
    private final Path proc;

    FileLocks() {
        this(Path.of("/proc/locks"), Path.of("/proc"));
    }

    // For tests: another /proc.
    FileLocks(Path procLocks, Path proc) {
        this.procLocks = procLocks;
        this.proc = proc;
    }

    /**
     * Returns the process holding the write lock of the database {@code file}, in either journal
     * mode, if Linux says; empty otherwise.
     */
    Optional<LockHolder> writeLockHolder(Path file) {
        if (!Files.isReadable(procLocks)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(procLocks, StandardCharsets.US_ASCII);
            Optional<FileId> database = FileId.of(file);
            Optional<FileId> shm = FileId.of(file.resolveSibling(file.getFileName() + "-shm"));
            for (String line : lines) {
                Optional<Lock> parsed = Lock.parse(line);
                if (parsed.isEmpty() || !parsed.get().write()) {
                    continue;
                }
                Lock lock = parsed.get();
                if (database.isPresent() && lock.covers(PENDING_BYTE, SHARED_LAST) && on(lock, database.get(), file)) {
                    return Optional.of(holder(lock.pid()));
                }
                if (shm.isPresent()
                        && lock.covers(WAL_WRITE_LOCK, WAL_WRITE_LOCK)
                        && on(lock, shm.get(), file.resolveSibling(file.getFileName() + "-shm"))) {
                    return Optional.of(holder(lock.pid()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // No name, as on a system that cannot tell.
        }
        return Optional.empty();
    }

    private boolean on(Lock lock, FileId id, Path file) {
        if (lock.inode() != id.inode()) {
            return false;
        }
        if (lock.device().equals(id.device())) {
            return true;
        }
        return holdsOpen(lock.pid(), file);
    }

    // Whether the process has the file open: /proc/PID/fd/* link to it.
    private boolean holdsOpen(long pid, Path file) {
        try (Stream<Path> fds = Files.list(proc.resolve(Long.toString(pid)).resolve("fd"))) {
            Path real = file.toRealPath();
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException | RuntimeException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private LockHolder holder(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return new LockHolder(pid, "this process", "another connection of this process holds it");
        }
        Path dir = proc.resolve(Long.toString(pid));
        return new LockHolder(pid, command(dir), state(dir));
    }

    private static String command(Path dir) {
        try {
            byte[] bytes = Files.readAllBytes(dir.resolve("cmdline"));
            List<String> args = new ArrayList<>();
            for (String arg : new String(bytes, StandardCharsets.UTF_8).split("\0")) {
                if (!arg.isEmpty()) {
                    // A URL on a command line may carry a password: shown masked, as everywhere.
                    args.add(arg.startsWith("jdbc:") ? JdbcUrl.redact(arg) : arg);
                }
            }
            String command = String.join(" ", args);
            // The program and the end, where a command's own arguments are (a JVM's options come first).
            return command.length() <= MAX_COMMAND
                    ? command
                    : command.substring(0, COMMAND_HEAD) + " ... "
                            + command.substring(command.length() - (MAX_COMMAND - COMMAND_HEAD));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String state(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            // pid (comm) S ...: the command may hold spaces and parentheses, so after the last ')'.
            String rest = stat.substring(stat.lastIndexOf(')') + 1).strip();
            switch (rest.isEmpty() ? ' ' : rest.charAt(0)) {
                case 'T':
                    return "stopped (SIGSTOP, or job control)";
                case 't':
                    return "stopped by a debugger";
                case 'D':
                    return "waiting on I/O that does not return (a hung file system?)";
                case 'Z':
                    return "a zombie: exited, its parent has not reaped it";
                case 'R':
                    return "running";
                case 'S':
                case 'I':
                    return "sleeping";
                default:
                    return "state " + rest.charAt(0);
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** A file's device, as {@code /proc/locks} writes it ({@code major:minor} in hex), and inode. */
    record FileId(String device, long inode) {
        static Optional<FileId> of(Path file) {
            try {
                long dev = ((Number) Files.getAttribute(file, "unix:dev")).longValue();
                long inode = ((Number) Files.getAttribute(file, "unix:ino")).longValue();
                // Linux's encoding of a device number (glibc's major() and minor()).
                long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
                long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
                return Optional.of(new FileId(String.format("%02x:%02x", major, minor), inode));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** One line of {@code /proc/locks}. */
    record Lock(boolean posix, boolean write, long pid, String device, long inode, long start, long end) {
        // "1: POSIX  ADVISORY  WRITE 5550 fe:00:2146902 1073741825 1073741825"; a blocked
        // request has "->" after the number and is not a lock held.
        static Optional<Lock> parse(String line) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 8 || fields[1].equals("->") || !fields[1].equals("POSIX")) {
                return Optional.empty();
            }
            try {
                String[] id = fields[5].split(":");
                if (id.length != 3) {
                    return Optional.empty();
                }
                long start = Long.parseLong(fields[6]);
                long end = fields[7].equals("EOF") ? Long.MAX_VALUE : Long.parseLong(fields[7]);
                return Optional.of(new Lock(
                        true,
                        fields[3].equals("WRITE"),
                        Long.parseLong(fields[4]),
                        id[0] + ":" + id[1],
                        Long.parseLong(id[2]),
                        start,
                        end));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        boolean covers(long from, long to) {
            return start <= to && end >= from;
        }
    }
}
