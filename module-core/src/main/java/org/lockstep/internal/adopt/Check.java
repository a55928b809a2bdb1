package org.lockstep.internal.adopt;

import java.util.Optional;

/** A checksum another tool recorded for a script, held against the local file. */
@FunctionalInterface
interface Check {
    /**
     * Returns how the file differs from what the tool recorded, if it does.
     *
     * @param local the local script
     * @return e.g. {@code flyway recorded checksum [12], the file's is [34]}, or empty if they match
     */
    Optional<String> mismatch(LocalScript local);
}
