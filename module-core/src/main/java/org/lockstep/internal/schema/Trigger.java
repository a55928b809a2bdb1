package org.lockstep.internal.schema;

/**
 * One trigger.
 *
 * @param name its name
 * @param table the table or view it is on
 * @param sql its SQL
 * @param normalized its SQL in normal form ({@link SqlText#normalize})
 */
public record Trigger(String name, String table, String sql, String normalized) {}
