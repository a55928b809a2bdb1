package org.lockstep.internal.schema;

/**
 * One view.
 *
 * @param name its name
 * @param sql its SQL
 * @param normalized its SQL in normal form ({@link SqlText#normalize})
 */
public record View(String name, String sql, String normalized) {}
