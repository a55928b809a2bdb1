package org.lockstep.internal.sqlite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Why a write to a SQLite database may have failed for want of room. SQLite reports a write
 * that ran out of disk space ({@code ENOSPC}) as {@code SQLITE_FULL}, but one stopped by the
 * process's file-size limit ({@code EFBIG}, {@code ulimit -f}: the JVM ignores {@code SIGXFSZ},
 * so the write fails) as {@code SQLITE_IOERR_WRITE}, and the driver does not pass on
 * {@code errno}. So a failed write (or a failed growth of a file) is called a full disk when the
 * limit is set, or when the file system has next to no room left. Under a limit that no file of
 * the database (the file, its journal, its WAL or shared-memory file) is near, it was most likely
 * one of SQLite's temporary files (a sort for an index) that reached it, and the message says so.
 */
final class FileSpace {
    /** Within this of the limit, a failed write was stopped by it: SQLite writes at most a page (64 KiB) at a time, twice over. */
    private static final long NEAR_LIMIT = 2 * 65_536;
    /** With less than this free, a failed write ran out of room. */
    private static final long NEARLY_FULL = 1 << 20;
    // SQLite's extended result codes of a write that did not fit, https://www.sqlite.org/rescode.html
    private static final int SQLITE_IOERR_WRITE = 10 | (3 << 8);
    private static final int SQLITE_IOERR_TRUNCATE = 10 | (6 << 8);
    private static final int SQLITE_IOERR_SHMSIZE = 10 | (19 << 8);

    private FileSpace() {}

    /**
     * Returns what ran out of room for the database {@code file}, for a message, if anything
     * did: the file-size limit, or the file system.
     *
     * @param file the database file
     * @param extendedCode SQLite's extended result code of the I/O error
     * @return e.g. {@code the process's file-size limit (ulimit -f) of [2048000 bytes]}
     */
    static Optional<String> exhausted(Path file, int extendedCode) {
        return exhausted(file, extendedCode, fileSizeLimit(Path.of("/proc/self/limits")), FileSpace::usableSpace);
    }

    /** How much room a file system has left for this process. */
    @FunctionalInterface
    interface Room {
        /**
         * Returns the bytes this process may still write on the file system of {@code folder}.
         *
         * @param folder a folder of the file system
         * @return the bytes
         * @throws IOException if it cannot be told
         */
        long usable(Path folder) throws IOException;
    }

    /**
     * Returns what ran out of room for the database {@code file}, as {@link #exhausted(Path, int)},
     * with the process's file-size limit and the file system's room given.
     *
     * @param file the database file
     * @param extendedCode SQLite's extended result code of the I/O error
     * @param limit the process's file-size limit in bytes; -1 if none or unknown
     * @param room tells the room left on a file system
     * @return what ran out, for a message
     */
    static Optional<String> exhausted(Path file, int extendedCode, long limit, Room room) {
        boolean growth = extendedCode == SQLITE_IOERR_WRITE
                || extendedCode == SQLITE_IOERR_TRUNCATE
                || extendedCode == SQLITE_IOERR_SHMSIZE
                || extendedCode == (SQLITE_IOERR_WRITE & 0xff); // a driver that tells the primary code only
        if (limit >= 0 && growth) {
            long largest = 0;
            for (String suffix : List.of("", "-journal", "-wal", "-shm")) {
                largest = Math.max(largest, size(file.resolveSibling(file.getFileName() + suffix)));
            }
            return Optional.of("the process's file-size limit (ulimit -f) of [" + limit + " bytes]"
                    + (largest + NEAR_LIMIT >= limit
                            ? ""
                            : " (in one of SQLite's temporary files, by the look of it)"));
        }
        try {
            long free = room.usable(file.toAbsolutePath().getParent());
            if (free < NEARLY_FULL) {
                return Optional.of("the room on its file system ([" + free + " bytes] free)");
            }
        } catch (IOException | RuntimeException e) {
            // Unknown: not called full.
        }
        return Optional.empty();
    }

    private static long usableSpace(Path folder) throws IOException {
        return Files.getFileStore(folder).getUsableSpace();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * The soft file-size limit of this process in bytes, from a file in the form of Linux's
     * {@code /proc/self/limits}; -1 if none or unknown.
     *
     * @param limits the file
     * @return the limit
     */
    static long fileSizeLimit(Path limits) {
        try {
            for (String line : Files.readAllLines(limits, StandardCharsets.US_ASCII)) {
                if (line.startsWith("Max file size")) {
                    String[] columns =
                            line.substring("Max file size".length()).trim().split("\\s+");
                    return columns[0].equals("unlimited") ? -1 : Long.parseLong(columns[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: unknown.
        }
        return -1;
    }
}
