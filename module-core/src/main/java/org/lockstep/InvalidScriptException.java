package org.lockstep;

import java.util.Objects;

/**
 * The migration scripts cannot be used: a {@code .sql} file whose name does not follow
 * the naming rule, two scripts with the same version, a script that cannot be read or
 * parsed, a statement a migration may not contain, or a location that does not exist or
 * holds no script. Raised before the database is opened.
 */
public final class InvalidScriptException extends LockstepException {
    private static final long serialVersionUID = 1L;

    private final String source;

    /**
     * Creates the exception.
     *
     * @param source where the fault is: the script as found (a file's path, a jar entry, a
     *     module resource; for a duplicate version, the first of the two) or the location
     * @param message a message naming the culprits
     * @param cause the underlying error, or {@code null}
     */
    public InvalidScriptException(String source, String message, Throwable cause) {
        super(message, cause);
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Returns where the fault is: the script as found (a file's path, a jar entry, a module
     * resource), or the location. Unlike the file names other exceptions report, it says where
     * to look.
     */
    public String source() {
        return source;
    }
}
