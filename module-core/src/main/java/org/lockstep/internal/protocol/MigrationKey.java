package org.lockstep.internal.protocol;

import java.util.Objects;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.script.MigrationScript;

/**
 * What one application of a migration is, for telling whether a call applied it, found it
 * applied by another worker, or can still see it: a versioned migration is its version; a
 * repeatable one, applied again whenever it changes, is its description and its checksum.
 *
 * @param version the version; null for a repeatable migration
 * @param description a repeatable migration's description; null for a versioned one
 * @param checksum a repeatable migration's checksum; null for a versioned one
 */
record MigrationKey(MigrationVersion version, String description, String checksum) {

    static MigrationKey of(MigrationScript script) {
        return script.repeatable()
                ? new MigrationKey(null, script.description(), script.checksum())
                : new MigrationKey(script.version(), null, null);
    }

    static MigrationKey of(HistoryRow row) {
        return row.repeatable()
                ? new MigrationKey(null, row.description(), row.checksum())
                : new MigrationKey(row.version(), null, null);
    }

    // Written out: a record's generated equals and hashCode are bootstrapped through method
    // handles the first time they run, about 7 ms of a process that meets them only once, as a
    // waiting process does just after the holder's commit.
    @Override
    public boolean equals(Object other) {
        return other instanceof MigrationKey key
                && Objects.equals(version, key.version)
                && Objects.equals(description, key.description)
                && Objects.equals(checksum, key.checksum);
    }

    @Override
    public int hashCode() {
        return (Objects.hashCode(version) * 31 + Objects.hashCode(description)) * 31 + Objects.hashCode(checksum);
    }
}
