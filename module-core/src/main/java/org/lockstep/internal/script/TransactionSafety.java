package org.lockstep.internal.script;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Statements a migration script must not contain, because Lockstep runs every deploy inside
 * a transaction of its own and these cannot run there, or would end it. They are refused
 * when scripts are loaded, before the database is opened. Each dialect has its own list.
 *
 * <p>PostgreSQL's {@code ALTER TYPE ... ADD VALUE} is not refused: since PostgreSQL 12 it
 * runs in a transaction (the new value cannot be used until it commits, so use it in a
 * later migration with {@code PER_MIGRATION}); older servers refuse it themselves, and the
 * deploy is rolled back.
 */
public final class TransactionSafety {
    private record Rule(Pattern pattern, String reason) {
    }

    private static final List<Rule> SQLITE_RULES = List.of(
            new Rule(Pattern.compile("(?is)VACUUM\\b.*"),
                    "VACUUM cannot run inside a transaction; run it outside Lockstep"),
            new Rule(Pattern.compile("(?is)(BEGIN|COMMIT|END|ROLLBACK|SAVEPOINT|RELEASE)\\b.*"),
                    "a script must not control transactions: Lockstep runs each deploy in a transaction"
                            + " of its own, and this statement would begin, end or split it"),
            new Rule(Pattern.compile("(?is)(ATTACH|DETACH)\\b.*"),
                    "ATTACH and DETACH cannot run inside a transaction"),
            new Rule(Pattern.compile("(?is)PRAGMA\\s+(?:[\\w\"]+\\s*\\.\\s*)?\"?journal_mode\\b.*"),
                    "PRAGMA journal_mode cannot change inside a transaction; set it once outside Lockstep"),
            new Rule(Pattern.compile("(?is)PRAGMA\\s+(?:[\\w\"]+\\s*\\.\\s*)?\"?foreign_keys\\b.*"),
                    "PRAGMA foreign_keys is a no-op inside a transaction; Lockstep runs migrations with"
                            + " foreign keys off and checks them before commit"));

    private static final String NO_TRANSACTION_BLOCK = " cannot run inside a transaction block, and Lockstep runs"
            + " every deploy in a transaction; run it outside Lockstep";

    // https://www.postgresql.org/docs/current/sql-commands.html: the commands whose pages say
    // they "cannot be executed inside a transaction block", and transaction control.
    private static final List<Rule> POSTGRESQL_RULES = List.of(
            new Rule(Pattern.compile("(?is)(BEGIN|START\\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|SAVEPOINT|RELEASE"
                    + "|PREPARE\\s+TRANSACTION)\\b.*"),
                    "a script must not control transactions: Lockstep runs each deploy in a transaction"
                            + " of its own, and this statement would begin, end or split it"),
            new Rule(Pattern.compile("(?is)CREATE\\s+(UNIQUE\\s+)?INDEX\\s+CONCURRENTLY\\b.*"),
                    "CREATE INDEX CONCURRENTLY" + NO_TRANSACTION_BLOCK),
            new Rule(Pattern.compile("(?is)DROP\\s+INDEX\\s+CONCURRENTLY\\b.*"),
                    "DROP INDEX CONCURRENTLY" + NO_TRANSACTION_BLOCK),
            new Rule(Pattern.compile("(?is)REINDEX\\b.*\\bCONCURRENTLY\\b.*"),
                    "REINDEX CONCURRENTLY" + NO_TRANSACTION_BLOCK),
            new Rule(Pattern.compile("(?is)REINDEX\\s+(\\([^)]*\\)\\s*)?(SYSTEM|DATABASE)\\b.*"),
                    "REINDEX SYSTEM and REINDEX DATABASE" + NO_TRANSACTION_BLOCK),
            new Rule(Pattern.compile("(?is)ALTER\\s+TABLE\\b.*\\bDETACH\\s+PARTITION\\b.*\\bCONCURRENTLY\\b.*"),
                    "DETACH PARTITION CONCURRENTLY" + NO_TRANSACTION_BLOCK),
            new Rule(Pattern.compile("(?is)VACUUM\\b.*"), "VACUUM" + NO_TRANSACTION_BLOCK),
            new Rule(Pattern.compile("(?is)(CREATE|DROP)\\s+(DATABASE|TABLESPACE)\\b.*"),
                    "CREATE and DROP of a DATABASE or TABLESPACE" + NO_TRANSACTION_BLOCK),
            new Rule(Pattern.compile("(?is)ALTER\\s+DATABASE\\b.*\\bSET\\s+TABLESPACE\\b.*"),
                    "ALTER DATABASE ... SET TABLESPACE" + NO_TRANSACTION_BLOCK),
            new Rule(Pattern.compile("(?is)ALTER\\s+SYSTEM\\b.*"), "ALTER SYSTEM" + NO_TRANSACTION_BLOCK),
            new Rule(Pattern.compile("(?is)DISCARD\\s+ALL\\b.*"), "DISCARD ALL" + NO_TRANSACTION_BLOCK));

    private TransactionSafety() {
    }

    /**
     * Returns why the statement cannot be part of a SQLite migration, if it cannot.
     *
     * @param statement a statement as the splitter produced it (starting at its first token)
     * @return the reason, or empty if the statement is allowed
     */
    public static Optional<String> refusal(SqlStatement statement) {
        return refusal(ScriptDialect.SQLITE, statement);
    }

    /**
     * Returns why the statement cannot be part of a migration in the dialect, if it cannot.
     *
     * @param dialect the script's dialect
     * @param statement a statement as the dialect's splitter produced it (starting at its first token)
     * @return the reason, or empty if the statement is allowed
     */
    public static Optional<String> refusal(ScriptDialect dialect, SqlStatement statement) {
        for (Rule rule : dialect == ScriptDialect.SQLITE ? SQLITE_RULES : POSTGRESQL_RULES) {
            if (rule.pattern().matcher(statement.sql()).matches()) {
                return Optional.of(rule.reason());
            }
        }
        return Optional.empty();
    }
}
