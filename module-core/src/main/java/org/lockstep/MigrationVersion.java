package org.lockstep;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The version of a migration: one or more dot-separated groups of digits, such as
 * {@code 001}, {@code 2} or {@code 1.10}.
 *
 * <p>Versions compare numerically part by part: {@code 001} equals {@code 1}, {@code 1.10}
 * is greater than {@code 1.9}, and trailing zero parts do not count ({@code 1.0} equals
 * {@code 1}). {@link #toString()} returns the text as it was written, so a version read from
 * {@code 001_create_notes.sql} prints as {@code 001}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class MigrationVersion implements Comparable<MigrationVersion>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern SYNTAX = Pattern.compile("\\d+(\\.\\d+)*");

    private final String text;
    private final long[] parts;

    private MigrationVersion(String text, long[] parts) {
        this.text = text;
        this.parts = parts;
    }

    /**
     * Parses a version such as {@code 001}, {@code 2} or {@code 1.10}, with or without the
     * {@code V} that script names may start with: {@code V2} is {@code 2}, and prints as
     * {@code 2}.
     *
     * @param version digits with optional dot-separated parts, perhaps after a {@code V}
     * @return the version
     * @throws IllegalArgumentException if {@code version} is not such a version, or a part does
     *     not fit in a {@code long}
     */
    public static MigrationVersion parse(String version) {
        Objects.requireNonNull(version, "version");
        String text = version.startsWith("V") ? version.substring(1) : version;
        if (!SYNTAX.matcher(text).matches()) {
            throw new IllegalArgumentException("Version [" + version
                    + "] is not digits with optional dot-separated parts, such as 1, 001," + " 1.10 or V2");
        }
        String[] pieces = text.split("\\.");
        long[] parts = new long[pieces.length];
        for (int i = 0; i < pieces.length; i++) {
            try {
                parts[i] = Long.parseLong(pieces[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "Version [" + text + "] has a part too large: [" + pieces[i] + "]", e);
            }
        }
        int length = parts.length;
        while (length > 1 && parts[length - 1] == 0) {
            length--;
        }
        return new MigrationVersion(text, Arrays.copyOf(parts, length));
    }

    @Override
    public int compareTo(MigrationVersion other) {
        return Arrays.compare(parts, other.parts);
    }

    /** Two versions are equal when they compare equal: {@code 001} equals {@code 1}. */
    @Override
    public boolean equals(Object other) {
        return other instanceof MigrationVersion && Arrays.equals(parts, ((MigrationVersion) other).parts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parts);
    }

    /** Returns the version as it was written, e.g. {@code 001}. */
    @Override
    public String toString() {
        return text;
    }
}
