package org.lockstep.internal.sql;

/**
 * One statement of a script.
 *
 * @param sql the statement's text as written in the script, from its first token up to the
 *     terminating semicolon (excluded), trailing whitespace removed
 * @param line the 1-based line of the script where the statement starts
 */
public record SqlStatement(String sql, int line) {

    private static final int EXCERPT_LENGTH = 120;

    /** Returns the start of the statement on one line, for messages. */
    public String excerpt() {
        String flat = sql.strip().replaceAll("\\s+", " ");
        return flat.length() <= EXCERPT_LENGTH ? flat : flat.substring(0, EXCERPT_LENGTH) + "...";
    }
}
