package org.lockstep;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one call of {@link Migrator#migrate()} did.
 *
 * <p>When many workers migrate one database at once, exactly one of them reports each
 * migration in {@link #applied()}; every other worker that found it pending when it
 * started reports it in {@link #appliedByOthers()}, with who applied it and when. What was
 * pending when a call started is told from the reads made during the call (its own, or those of
 * the thread of its process whose turn it waited for) and from the history's own times: a
 * migration whose run ended after the call started was not yet committed when it started.
 *
 * @param applied the migrations this call applied, in version order
 * @param appliedByOthers the migrations that were pending when this call started and that
 *     another worker applied while this one waited, in version order
 * @param skipped the scripts that are not applied and were not applied by this call because
 *     a higher version is applied (out of order) and neither out-of-order migrations nor
 *     validation (which would have failed) are on; in version order
 * @param future the applied versions above every script's version, which a newer release
 *     applied (see {@link MigrationState#FUTURE}); in version order
 * @param currentVersion the highest applied version afterwards; empty if none
 * @param lockWait how long this call waited for locks: for the migration lock, and, holding it,
 *     for readers to let go at commit; zero if it never had to. The lock timeout bounds it.
 * @param lockAttempts how many times this call tried to take the write lock; zero when
 *     the database was already up to date
 */
public record MigrateResult(
        List<AppliedMigration> applied,
        List<AppliedMigration> appliedByOthers,
        List<MigrationInfo> skipped,
        List<MigrationInfo> future,
        Optional<MigrationVersion> currentVersion,
        Duration lockWait,
        int lockAttempts) {

    /** Copies the lists and checks that no component is null. */
    public MigrateResult {
        applied = List.copyOf(applied);
        appliedByOthers = List.copyOf(appliedByOthers);
        skipped = List.copyOf(skipped);
        future = List.copyOf(future);
        Objects.requireNonNull(currentVersion, "currentVersion");
        Objects.requireNonNull(lockWait, "lockWait");
    }

    /**
     * Returns true if the database was up to date when this call started: nothing was
     * pending, so this call applied nothing, found nothing applied by others, and skipped
     * nothing. Future versions do not count: the database is ahead of these scripts.
     */
    public boolean wasUpToDate() {
        return applied.isEmpty() && appliedByOthers.isEmpty() && skipped.isEmpty();
    }
}
