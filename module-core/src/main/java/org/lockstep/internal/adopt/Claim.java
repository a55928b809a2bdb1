package org.lockstep.internal.adopt;

import java.time.Instant;
import java.util.Optional;
import org.lockstep.MigrationVersion;

/**
 * One migration another tool's history says is applied.
 *
 * @param version its version
 * @param toolScript what the tool calls it (its script or description), for messages
 * @param appliedAt when the tool applied it, where the tool records it
 * @param appliedBy who applied it, where the tool records it
 * @param executionMillis how long it took, as the tool recorded it; 0 if not
 * @param check the tool's checksum of the script, to check the local file against, if it recorded one
 */
record Claim(
        MigrationVersion version,
        String toolScript,
        Optional<Instant> appliedAt,
        Optional<String> appliedBy,
        long executionMillis,
        Optional<Check> check) {

    /** A claim the tool says nothing more about than its version. */
    static Claim of(MigrationVersion version, String toolScript) {
        return new Claim(version, toolScript, Optional.empty(), Optional.empty(), 0, Optional.empty());
    }
}
