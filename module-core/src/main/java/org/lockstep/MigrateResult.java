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
 * started reports it in {@link #appliedByOthers()}, with who applied it and when.
 *
 * @param applied the migrations this call applied, in version order
 * @param appliedByOthers the migrations that were pending when this call started and that
 *     another worker applied while this one waited, in version order
 * @param currentVersion the highest applied version afterwards; empty if none
 * @param lockWait how long this call waited for the write lock; zero if it never had to
 * @param lockAttempts how many times this call tried to take the write lock; zero when
 *     the database was already up to date
 */
public record MigrateResult(
        List<AppliedMigration> applied,
        List<AppliedMigration> appliedByOthers,
        Optional<MigrationVersion> currentVersion,
        Duration lockWait,
        int lockAttempts) {

    /** Copies the lists and checks that no component is null. */
    public MigrateResult {
        applied = List.copyOf(applied);
        appliedByOthers = List.copyOf(appliedByOthers);
        Objects.requireNonNull(currentVersion, "currentVersion");
        Objects.requireNonNull(lockWait, "lockWait");
    }

    /** Returns true if this call applied nothing and found nothing applied by others. */
    public boolean wasUpToDate() {
        return applied.isEmpty() && appliedByOthers.isEmpty();
    }
}
