package org.lockstep.internal.lint;

import org.lockstep.internal.sql.SqlStatement;

/**
 * One statement of a script as the replay ran it.
 *
 * @param statement the statement
 * @param shape what it does, read from its tokens
 * @param error SQLite's message if it failed, else null
 */
record Event(SqlStatement statement, Shape shape, String error) {

    boolean ok() {
        return error == null;
    }

    int line() {
        return statement.line();
    }

    Shape.Verb verb() {
        return shape.verb();
    }
}
