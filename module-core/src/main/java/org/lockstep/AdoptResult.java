package org.lockstep;

import java.util.List;
import java.util.Objects;

/**
 * What one call of {@link Migrator#adopt(AdoptFrom)} (or its dry run) found and recorded.
 *
 * <p>An adopted migration is one Lockstep's history now holds as applied, recorded from the
 * other tool's history: its version, description and script are the local script's, its
 * checksum Lockstep's own (so {@link Migrator#validate()} works afterwards), its time and
 * execution time the other tool's where it records them (else the time of adoption), and its
 * {@link AppliedMigration#appliedBy()} says where it came from: {@code adopted from flyway (by
 * alice)} when the tool records who applied it, {@code adopted from goose by 4711@web-1}
 * (who adopted it) otherwise.
 *
 * @param tool the tool whose history was read
 * @param table that history's table, as the database names it
 * @param adopted the migrations this call recorded (in a dry run: would record), in version order
 * @param alreadyRecorded the other tool's applied migrations that Lockstep's history already
 *     held (an adoption run before), in version order; adoption is idempotent
 * @param notAdopted what the other tool's history holds that is reported and not recorded
 *     (repeatable and baseline rows, rows a repair marked deleted), in the history's order
 * @param checksumsVerified whether each adopted script was verified against the checksum the
 *     other tool recorded ({@link MigrationTool#recordsChecksums()})
 * @param dryRun whether nothing was written
 */
public record AdoptResult(
        MigrationTool tool,
        String table,
        List<AppliedMigration> adopted,
        List<AppliedMigration> alreadyRecorded,
        List<NotAdopted> notAdopted,
        boolean checksumsVerified,
        boolean dryRun) {

    /** Copies the lists and checks that no component is null. */
    public AdoptResult {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(table, "table");
        adopted = List.copyOf(adopted);
        alreadyRecorded = List.copyOf(alreadyRecorded);
        notAdopted = List.copyOf(notAdopted);
    }

    /**
     * A row of the other tool's history that is reported and not recorded.
     *
     * @param version its version as the other tool wrote it; empty for a repeatable migration
     * @param script its script or description as the other tool wrote it
     * @param reason why it is not recorded, a sentence
     */
    public record NotAdopted(String version, String script, String reason) {
        /** Checks that no component is null. */
        public NotAdopted {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(script, "script");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
