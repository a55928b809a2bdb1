package org.lockstep.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The turn of one {@code lockstep new} at a migrations folder, among the {@code new} commands
 * of every thread and process of the same user. Held while the command lists the folder and
 * creates its script; released by {@link #release()}, or by the operating system if the
 * process dies.
 */
final class FolderLock {
    /*
     * Why: new lists the folder, picks the version after the highest, and creates
     * <version>_<name>.sql. Two commands that both list before either creates pick the same
     * version under different names, and CREATE_NEW cannot see that (the names differ), so
     * listing and creating must be one critical section per folder.
     *
     * Protocol:
     * 1. Take this JVM's lock (IN_THIS_PROCESS). The operating system's file locks belong to
     *    the process, not the thread: the JDK refuses a second lock on the same file from
     *    the same process (OverlappingFileLockException), and on POSIX systems closing *any*
     *    channel of a file drops *every* lock the process holds on it. So at most one thread
     *    of a JVM ever has a lock file open; the others wait here. It is static because what
     *    it guards is per process; one lock for all folders, because new is rare and short.
     * 2. Open the folder's lock file, ${java.io.tmpdir}/lockstep-new-<hash>.lock, where the
     *    hash is SHA-256 of the user's name and the folder's real path: outside the folder,
     *    so it never shows up among the user's scripts or in version control; the real path,
     *    so two spellings of one folder (relative, through a symlink) share one lock; the
     *    user, so a lock file left by another user (sudo) cannot lock this user out.
     *    NOFOLLOW_LINKS: a symlink planted in a shared temp folder is refused, not followed.
     * 3. Take an exclusive OS lock on it (fcntl/LockFileEx through FileChannel.tryLock). The
     *    OS releases it when its holder dies, so there is no stale lock to clean up.
     *    tryLock is polled with backoff (1 ms doubling to 32 ms) rather than a blocking
     *    lock(), because lock() cannot be bounded: every wait ends at the deadline.
     * 4. The caller lists the folder again under the lock, then creates its script with
     *    CREATE_NEW, then releases: closing the channel releases the OS lock, then the JVM's.
     *
     * Invariant: between a holder's listing and its creation, no other new command of this
     * user and temp folder creates a script in the folder. Hence N concurrent commands create
     * N distinct versions.
     *
     * Left alone on purpose: the lock file is never deleted. Deleting it would race with a
     * command that has opened but not yet locked it: that one would lock the deleted file
     * while a third creates and locks a fresh one. It is one empty file per folder.
     *
     * Limits: commands with another java.io.tmpdir, of another user, or on another host that
     * shares the folder do not see this lock. CREATE_NEW still never overwrites, but they can
     * pick equal versions; every command then reports the duplicate before opening a database.
     */
    private static final ReentrantLock IN_THIS_PROCESS = new ReentrantLock();
    private static final long FIRST_BACKOFF_MILLIS = 1;
    private static final long MAX_BACKOFF_MILLIS = 32;

    private final FileChannel channel;

    private FolderLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Waits up to {@code timeout} for the folder's turn. Release it on the same thread.
     *
     * @param folder the migrations folder, which exists
     * @param timeout how long to wait for other commands to finish
     * @return the held lock
     * @throws EnvironmentException if the turn did not come within the timeout, the thread was
     *     interrupted (its flag is set again), or the lock file cannot be opened
     */
    static FolderLock acquire(Path folder, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path file = lockFile(folder);
        try {
            if (!IN_THIS_PROCESS.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw timedOut(folder, file, timeout);
            }
        } catch (InterruptedException e) {
            throw interrupted(folder, e);
        }
        try {
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            try {
                awaitFileLock(channel, folder, file, deadline, timeout);
                return new FolderLock(channel);
            } catch (IOException | RuntimeException e) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (IOException e) {
            IN_THIS_PROCESS.unlock();
            throw new EnvironmentException(
                    "Lock file [" + file + "], which lets lockstep new commands on folder [" + folder
                            + "] take turns, cannot be used: " + e,
                    e);
        } catch (RuntimeException e) {
            IN_THIS_PROCESS.unlock();
            throw e;
        }
    }

    private static void awaitFileLock(FileChannel channel, Path folder, Path file, long deadline, Duration timeout)
            throws IOException {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (channel.tryLock() == null) {
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                throw timedOut(folder, file, timeout);
            }
            try {
                Thread.sleep(Math.min(backoff, remaining));
            } catch (InterruptedException e) {
                throw interrupted(folder, e);
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private static EnvironmentException interrupted(Path folder, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new EnvironmentException(
                "Interrupted while waiting for the turn to create a script in folder [" + folder + "]", e);
    }

    private static EnvironmentException timedOut(Path folder, Path file, Duration timeout) {
        return new EnvironmentException("Turn to create a script in folder [" + folder + "] not given within ["
                + timeout.toSeconds() + " s]: another lockstep new holds lock file [" + file + "]");
    }

    /** The lock file of a folder: in the temp folder, named after the user and the folder's real path. */
    static Path lockFile(Path folder) {
        Path real;
        try {
            real = folder.toRealPath();
        } catch (IOException e) {
            throw new EnvironmentException("Folder [" + folder + "] cannot be resolved: " + e, e);
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256")
                    .digest((System.getProperty("user.name", "") + "\0" + real).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("Every JDK has SHA-256", e);
        }
        return Path.of(
                System.getProperty("java.io.tmpdir"),
                "lockstep-new-" + HexFormat.of().formatHex(hash, 0, 16) + ".lock");
    }

    /** Releases the OS lock (closing the channel does) and then this JVM's. */
    void release() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new EnvironmentException("Lock file of a migrations folder cannot be closed: " + e, e);
        } finally {
            IN_THIS_PROCESS.unlock();
        }
    }
}
