package org.lockstep.internal.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a failed write is blamed on: the process's file-size limit, or a file system with next
 * to no room left. In-process, with the limit and the room given; {@code DiskFullIT} fills a
 * real disk and runs under a real {@code ulimit -f}.
 */
final class FileSpaceTest {
    private static final int IOERR_WRITE = 10 | (3 << 8);
    private static final int IOERR_TRUNCATE = 10 | (6 << 8);
    private static final int IOERR_SHMSIZE = 10 | (19 << 8);
    private static final int IOERR_READ = 10 | (1 << 8);
    private static final FileSpace.Room PLENTY = folder -> 1L << 40;
    private static final long LIMIT = 1_000_000;

    @TempDir
    Path dir;

    private Path database(long size) throws IOException {
        Path file = dir.resolve("app.db");
        Files.write(file, new byte[(int) size]);
        return file;
    }

    @Test
    void aGrowingWriteUnderTheLimitIsBlamedOnItEachCode() throws IOException {
        Path file = database(LIMIT - 2 * 65_536);
        for (int code : new int[] {IOERR_WRITE, IOERR_TRUNCATE, IOERR_SHMSIZE, 10}) {
            assertEquals(
                    Optional.of("the process's file-size limit (ulimit -f) of [1000000 bytes]"),
                    FileSpace.exhausted(file, code, LIMIT, PLENTY),
                    "code " + code);
        }
    }

    @Test
    void aLimitOfZeroIsALimit() throws IOException {
        Path file = database(0);

        assertEquals(
                Optional.of("the process's file-size limit (ulimit -f) of [0 bytes]"),
                FileSpace.exhausted(file, IOERR_WRITE, 0, PLENTY));
    }

    @Test
    void aLimitNoFileOfTheDatabaseIsNearIsBlamedOnATemporaryFile() throws IOException {
        Path file = database(LIMIT - 2 * 65_536 - 1);

        assertEquals(
                Optional.of("the process's file-size limit (ulimit -f) of [1000000 bytes]"
                        + " (in one of SQLite's temporary files, by the look of it)"),
                FileSpace.exhausted(file, IOERR_WRITE, LIMIT, PLENTY));
    }

    @Test
    void theDatabasesJournalWalAndSharedMemoryFilesCountTowardsTheLimit() throws IOException {
        Path file = database(10);
        for (String suffix : new String[] {"-journal", "-wal", "-shm"}) {
            Path other = dir.resolve("app.db" + suffix);
            Files.write(other, new byte[(int) (LIMIT - 65_536)]);

            assertEquals(
                    Optional.of("the process's file-size limit (ulimit -f) of [1000000 bytes]"),
                    FileSpace.exhausted(file, IOERR_WRITE, LIMIT, PLENTY),
                    suffix);
            Files.delete(other);
        }
    }

    @Test
    void anErrorThatIsNotAWriteIsNotBlamedOnTheLimit() throws IOException {
        Path file = database(LIMIT);

        assertEquals(Optional.empty(), FileSpace.exhausted(file, IOERR_READ, LIMIT, PLENTY));
    }

    @Test
    void withoutALimitAFileSystemWithLessThanAMebibyteFreeIsFull() throws IOException {
        Path file = database(10);

        assertEquals(
                Optional.of("the room on its file system ([1048575 bytes] free)"),
                FileSpace.exhausted(file, IOERR_WRITE, -1, folder -> (1 << 20) - 1));
        assertEquals(Optional.empty(), FileSpace.exhausted(file, IOERR_WRITE, -1, folder -> 1 << 20));
        assertEquals(
                Optional.of("the room on its file system ([0 bytes] free)"),
                FileSpace.exhausted(file, IOERR_READ, LIMIT, folder -> 0),
                "a read that failed on a full disk: the disk, whatever the limit");
    }

    @Test
    void theRoomIsLookedUpInTheDatabasesFolder() throws IOException {
        Path file = database(10);
        Path[] asked = new Path[1];

        FileSpace.exhausted(file, IOERR_WRITE, -1, folder -> {
            asked[0] = folder;
            return 1L << 40;
        });

        assertEquals(dir.toAbsolutePath(), asked[0]);
    }

    @Test
    void roomThatCannotBeToldIsNotCalledFull() throws IOException {
        Path file = database(10);

        assertEquals(Optional.empty(), FileSpace.exhausted(file, IOERR_WRITE, -1, folder -> {
            throw new IOException("no file store");
        }));
    }

    @Test
    void theLimitIsReadFromProcSelfLimits() throws IOException {
        assertEquals(
                2_048_000,
                FileSpace.fileSizeLimit(
                        limits("Max file size            2048000              unlimited            bytes")));
        assertEquals(
                -1,
                FileSpace.fileSizeLimit(
                        limits("Max file size            unlimited            unlimited            bytes")));
        assertEquals(
                -1,
                FileSpace.fileSizeLimit(
                        limits("Max open files            1024                 4096                 files")));
        assertEquals(
                -1,
                FileSpace.fileSizeLimit(
                        limits("Max file size            lots                 lots                 bytes")));
        assertEquals(-1, FileSpace.fileSizeLimit(dir.resolve("absent")));
    }

    private Path limits(String line) throws IOException {
        Path file = dir.resolve("limits");
        Files.writeString(
                file,
                "Limit                     Soft Limit           Hard Limit           Units\n"
                        + "Max cpu time              unlimited            unlimited            seconds\n"
                        + line + "\n"
                        + "Max data size             unlimited            unlimited            bytes\n");
        return file;
    }
}
