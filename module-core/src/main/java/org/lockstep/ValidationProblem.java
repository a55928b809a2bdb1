package org.lockstep;

import java.io.Serializable;
import java.util.Objects;

/**
 * One reason validation failed.
 *
 * @param kind {@link MigrationState#CHECKSUM_MISMATCH}, {@link MigrationState#MISSING_SCRIPT}
 *     {@link MigrationState#OUT_OF_ORDER}, or {@link MigrationState#FUTURE} when
 *     {@link MigrationConfig.Builder#failOnFuture(boolean)} is on
 * @param version the version concerned
 * @param script the script's file name (for a missing script: the name it was applied from)
 * @param message a sentence that names the version and the file
 */
public record ValidationProblem(MigrationState kind, MigrationVersion version, String script, String message)
        implements Serializable {

    /** Checks that no component is null. */
    public ValidationProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(message, "message");
    }
}
