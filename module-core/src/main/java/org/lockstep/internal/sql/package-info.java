/**
 * Reading SQL script text: where statements begin and end, on which line, and which
 * statements a migration may not contain.
 *
 * <p>One scanner, {@code SqlScanner}, is written once for every database: it skips whitespace
 * and comments, reads quoted strings and identifiers whole, and counts lines as an editor
 * shows them. What differs between databases is supplied by each dialect's {@code Syntax}:
 * how its comments end, what opens a quoted token, where a semicolon does not end a
 * statement (a SQLite trigger body, a PostgreSQL {@code BEGIN ATOMIC} body), and which
 * statements are refused, matched on the statement's tokens as the scanner sees them. The
 * rest of Lockstep sees only {@link org.lockstep.internal.sql.ScriptDialect},
 * {@link org.lockstep.internal.sql.SqlStatement} and
 * {@link org.lockstep.internal.sql.SqlSyntaxException}.
 *
 * <p>Script text is taken as written: nothing here rewrites line endings, so what runs is
 * what the file holds.
 */
package org.lockstep.internal.sql;
