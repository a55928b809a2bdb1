package org.lockstep;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/**
 * One reason validation failed.
 *
 * @param kind {@link MigrationState#CHECKSUM_MISMATCH}, {@link MigrationState#MISSING_SCRIPT}
 *     {@link MigrationState#OUT_OF_ORDER}, or {@link MigrationState#FUTURE} when
 *     {@link MigrationConfig.Builder#failOnFuture(boolean)} is on
 * @param version the version concerned; empty for a repeatable migration (a deleted
 *     {@code R__} script is {@link MigrationState#MISSING_SCRIPT})
 * @param script the script's file name or Java migration's class name (for a missing one: the
 *     name it was applied from)
 * @param message a sentence that names the version (or repeatable description) and the file
 */
public record ValidationProblem(MigrationState kind, Optional<MigrationVersion> version, String script, String message)
        implements Serializable {

    /** Checks that no component is null. */
    public ValidationProblem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(message, "message");
    }

    // Optional is not serializable: a problem travels as this form and is rebuilt from it.
    private Object writeReplace() {
        return new Serialized(kind, version.orElse(null), script, message);
    }

    private record Serialized(MigrationState kind, MigrationVersion version, String script, String message)
            implements Serializable {
        private Object readResolve() {
            return new ValidationProblem(kind, Optional.ofNullable(version), script, message);
        }
    }
}
