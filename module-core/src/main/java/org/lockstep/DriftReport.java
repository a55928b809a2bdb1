package org.lockstep;

import java.util.List;
import java.util.Objects;

/**
 * What {@link Migrator#drift()} found: how the live database's schema differs from what its
 * applied scripts make.
 *
 * @param database the database, as shown in messages
 * @param replayed the applied versions whose scripts were replayed, in the order they were applied;
 *     repeatable scripts, which have no version, are replayed (each as last applied) but not listed
 * @param differences every difference, tables first, then indexes, triggers and views, each by name
 */
public record DriftReport(String database, List<MigrationVersion> replayed, List<SchemaDifference> differences) {

    /** Copies the lists and checks that nothing is null. */
    public DriftReport {
        Objects.requireNonNull(database, "database");
        replayed = List.copyOf(replayed);
        differences = List.copyOf(differences);
    }

    /** Returns whether the database matches its history: no difference. */
    public boolean matches() {
        return differences.isEmpty();
    }
}
