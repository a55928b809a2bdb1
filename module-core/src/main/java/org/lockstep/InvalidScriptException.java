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

    private final String script;

    /**
     * Creates the exception.
     *
     * @param script the file or location at fault (for a duplicate: the first of the files)
     * @param message a message naming the culprits
     * @param cause the underlying error, or {@code null}
     */
    public InvalidScriptException(String script, String message, Throwable cause) {
        super(message, cause);
        this.script = Objects.requireNonNull(script, "script");
    }

    /** Returns the file or location at fault. */
    public String script() {
        return script;
    }
}
