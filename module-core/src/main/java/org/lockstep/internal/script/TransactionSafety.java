package org.lockstep.internal.script;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Statements a migration script must not contain, because Lockstep runs every deploy inside
 * a transaction of its own and these cannot run there, or would end it. They are refused
 * when scripts are loaded, before the database is opened.
 */
public final class TransactionSafety {
    private record Rule(Pattern pattern, String reason) {
    }

    private static final List<Rule> RULES = List.of(
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

    private TransactionSafety() {
    }

    /**
     * Returns why the statement cannot be part of a migration, if it cannot.
     *
     * @param statement a statement as the splitter produced it (starting at its first token)
     * @return the reason, or empty if the statement is allowed
     */
    public static Optional<String> refusal(SqlStatement statement) {
        for (Rule rule : RULES) {
            if (rule.pattern().matcher(statement.sql()).matches()) {
                return Optional.of(rule.reason());
            }
        }
        return Optional.empty();
    }
}
