/**
 * A SQLite database's schema as data: read from a connection through SQLite's own catalog
 * ({@code sqlite_schema} and the {@code pragma_table_xinfo}, {@code pragma_index_list},
 * {@code pragma_index_xinfo}, {@code pragma_foreign_key_list} and {@code pragma_table_list}
 * functions), compared object by object, and rebuilt from scripts in a scratch in-memory
 * database. The linter ({@link org.lockstep.internal.lint}) compares the schema before and
 * after each script; {@link org.lockstep.internal.schema.DriftCheck} compares what the applied
 * scripts make with what a live database holds.
 *
 * <p>Names are SQLite's: compared without regard to ASCII case, as SQLite resolves them. SQL
 * text is compared in a normal form (tokens, names unquoted and folded), so that two texts
 * SQLite reads alike (a rename that re-quotes a name, other whitespace) are equal.
 */
package org.lockstep.internal.schema;
