package org.lockstep.internal.history;

import java.util.Optional;

/**
 * Where the history table is, as configured: its name, and on a database with schemas the
 * schema it is fixed to, if one was given (otherwise the dialect finds it).
 *
 * @param table the table's name, a plain identifier
 * @param schema the schema, if given
 */
public record HistoryName(String table, Optional<String> schema) {}
