/**
 * The linter behind {@link org.lockstep.Migrator#lint}: it replays every script, in version
 * order, into a scratch in-memory SQLite database ({@link org.lockstep.internal.schema.ScratchDatabase}),
 * reads the schema before and after each script ({@link org.lockstep.internal.schema.SchemaReader}),
 * and applies the rules of {@link org.lockstep.LintRule} to the difference and to each
 * statement's tokens ({@code ScriptReview}, {@code Features}). A table rebuild is recognised by
 * name: a table that exists before and after a script, whose original object left the name during
 * it, was rebuilt, and the new table is held against the old one.
 *
 * <p>Allow comments ({@code -- lockstep:allow RULE REASON}) are tied to statements by line
 * ({@code Allowances}). Statements {@code migrate} refuses are reported with {@code migrate}'s
 * own message and not replayed.
 */
package org.lockstep.internal.lint;
