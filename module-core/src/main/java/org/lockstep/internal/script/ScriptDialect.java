package org.lockstep.internal.script;

import java.util.List;
import java.util.Optional;

/** The SQL dialect a script is written in: how it splits into statements and what it may not contain. */
public enum ScriptDialect {
    /** SQLite: {@link SqlSplitter}, and SQLite's statements that cannot run in a transaction. */
    SQLITE,
    /** PostgreSQL: {@link PostgresSplitter}, and PostgreSQL's statements that cannot run in a transaction. */
    POSTGRESQL;

    /**
     * Splits normalised script text into statements.
     *
     * @param text the script text
     * @return the statements, in order
     * @throws SqlSyntaxException if a string, quoted identifier or comment is not closed
     */
    public List<SqlStatement> split(String text) throws SqlSyntaxException {
        return this == SQLITE ? SqlSplitter.split(text) : PostgresSplitter.split(text);
    }

    /**
     * Returns why the statement cannot be part of a migration in this dialect, if it cannot.
     *
     * @param statement a statement as {@link #split} produced it
     * @return the reason, or empty if the statement is allowed
     */
    public Optional<String> refusal(SqlStatement statement) {
        return TransactionSafety.refusal(this, statement);
    }
}
