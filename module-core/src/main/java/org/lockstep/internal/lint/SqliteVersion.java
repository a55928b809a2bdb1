package org.lockstep.internal.lint;

/**
 * A SQLite version, compared as SQLite's own {@code SQLITE_VERSION_NUMBER} is: major * 1 000 000
 * + minor * 1 000 + patch.
 *
 * @param number the version number
 */
record SqliteVersion(int number) implements Comparable<SqliteVersion> {

    /**
     * Reads {@code 3.31}, {@code 3.31.1} or {@code 3.31.1.2}.
     *
     * @throws IllegalArgumentException if the text is not such a version
     */
    static SqliteVersion parse(String text) {
        String[] parts = text.strip().split("\\.");
        if (parts.length < 2) {
            throw new IllegalArgumentException("SQLite version [" + text + "] is not of the form 3.N or 3.N.M");
        }
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            int patch = parts.length > 2 ? Integer.parseInt(parts[2]) : 0;
            return new SqliteVersion(major * 1_000_000 + minor * 1_000 + patch);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SQLite version [" + text + "] is not of the form 3.N or 3.N.M", e);
        }
    }

    static SqliteVersion of(int major, int minor) {
        return new SqliteVersion(major * 1_000_000 + minor * 1_000);
    }

    @Override
    public int compareTo(SqliteVersion other) {
        return Integer.compare(number, other.number);
    }

    @Override
    public String toString() {
        return (number / 1_000_000) + "." + (number / 1_000 % 1_000) + "." + (number % 1_000);
    }
}
