package org.lockstep;

import java.util.Objects;

/**
 * One way a live database's schema differs from what its applied scripts make, as
 * {@link Migrator#drift()} reports it.
 *
 * @param kind whether the object is missing, extra or different
 * @param type what kind of object: {@code table}, {@code index}, {@code trigger} or {@code view}
 * @param name the object's name
 * @param detail how it differs, for {@link Kind#DIFFERENT}; what it is, otherwise
 */
public record SchemaDifference(Kind kind, String type, String name, String detail) {

    /** How an object differs. */
    public enum Kind {
        /** The scripts make it; the database does not have it. */
        MISSING,
        /** The database has it; the scripts do not make it. */
        EXTRA,
        /** Both have it, and it differs. */
        DIFFERENT
    }

    /** Checks that no component is null. */
    public SchemaDifference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }

    /** Returns the difference as one line, e.g. {@code Index [notes_title] is extra: CREATE INDEX ...}. */
    public String message() {
        String what = Character.toUpperCase(type.charAt(0)) + type.substring(1) + " [" + name + "]";
        switch (kind) {
            case MISSING:
                return what + " is missing from the database: " + detail;
            case EXTRA:
                return what + " is in the database but no applied script makes it: " + detail;
            default:
                return what + " differs: " + detail;
        }
    }
}
