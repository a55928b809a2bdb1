package org.lockstep.internal.sql;

import java.util.List;
import java.util.Optional;

/**
 * SQLite's reading of script text, after its tokenizer ({@code sqlite3GetToken()} in
 * {@code tokenize.c}) and its statement-completeness test ({@code sqlite3_complete()} in
 * {@code complete.c}).
 *
 * <p>Why split at all: SQLite's JDBC driver runs only the first statement of a
 * multi-statement {@code execute()} and silently drops the rest.
 *
 * <p>Quotes: {@code '...'} strings, {@code "..."} and {@code `...`} identifiers (a doubled
 * quote stands for one), and {@code [...]} identifiers (no escape). Comments: {@code --} to the
 * next {@code \n} only, so a lone {@code \r} does not end one; {@code /* *}{@code /}, not nested,
 * and running to the end of the text if never closed.
 *
 * <p>A semicolon ends a statement except in the body of {@code CREATE [TEMP|TEMPORARY]
 * TRIGGER}: there the statement ends only at a semicolon that follows {@code END} when that
 * {@code END} is the first token after a semicolon, which is what lets {@code CASE ... END}
 * appear inside a trigger body. {@code EXPLAIN} and {@code EXPLAIN QUERY PLAN} prefix a
 * statement without changing where it ends.
 *
 * <p>Refused: statements that cannot run inside the transaction Lockstep runs every deploy in,
 * or would end it. Accepted, and set aside as no-ops, are the exact shapes that files written
 * for the {@code sqlite3} shell or for a tool that runs each file as it is (golang-migrate
 * without its transaction wrapper) use around table rebuilds, as SQLite's documentation
 * recommends (https://www.sqlite.org/lang_altertable.html#otheralter): {@code PRAGMA
 * foreign_keys = ON|OFF} anywhere (inside a transaction it does nothing, and Lockstep already
 * migrates with enforcement off and checks foreign keys before commit), and one
 * {@code BEGIN [TRANSACTION]} ... {@code COMMIT|END [TRANSACTION]} pair around all of a
 * script's other statements (Lockstep's deploy transaction takes its place).
 */
final class SqliteSyntax implements Syntax {
    /** The shapes a script may use instead of what the transaction and pragma rules refuse. */
    static final String ACCEPTED = "accepted, and skipped, are one BEGIN [TRANSACTION] as the script's first"
            + " statement and one COMMIT or END [TRANSACTION] as its last, enclosing all of its other statements,"
            + " and PRAGMA foreign_keys = ON or OFF anywhere";

    /** The statements a migration may not contain, checked in order; the first that refuses wins. */
    static final List<Rule> RULES = List.of(
            Rule.when(t -> t.keyword(0, "VACUUM"), "VACUUM cannot run inside a transaction; run it outside Lockstep"),
            Rule.when(
                    t -> t.keyword(0, "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"),
                    "a script must not control transactions: Lockstep runs each deploy in a transaction"
                            + " of its own, and this statement would begin, end or split it; " + ACCEPTED),
            Rule.when(t -> t.keyword(0, "ATTACH", "DETACH"), "ATTACH and DETACH cannot run inside a transaction"),
            Rule.when(
                    t -> pragma(t, "journal_mode"),
                    "PRAGMA journal_mode cannot change inside a transaction; set it once outside Lockstep"),
            Rule.when(
                    t -> pragma(t, "foreign_keys"),
                    "PRAGMA foreign_keys is a no-op inside a transaction; Lockstep runs migrations with"
                            + " foreign keys off and checks them before commit; " + ACCEPTED));

    /** Why {@code PRAGMA foreign_keys = ON|OFF} is skipped. */
    static final String FOREIGN_KEYS_NO_OP = "PRAGMA foreign_keys does nothing inside a transaction, and"
            + " Lockstep already runs migrations with foreign keys off and checks them before commit";

    private static final String[] EXPLAIN_PREFIX = {"EXPLAIN", "QUERY", "PLAN"};

    @Override
    public int lineCommentEnd(String text, int from) {
        int end = text.indexOf('\n', from);
        return end < 0 ? text.length() : end;
    }

    // sqlite3GetToken: "/*" followed by nothing is no comment but the operators / and *; a
    // statement made of them fails at run time, as it does in the sqlite3 shell.
    @Override
    public boolean opensBlockComment(String text, int from) {
        return text.startsWith("/*", from) && from + 2 < text.length();
    }

    // sqlite3GetToken: a comment that is never closed runs to the end of the input, and the
    // statement before it still runs; the closing "*/" is searched for after the opening "/*".
    @Override
    public int blockCommentEnd(String text, int from) {
        int close = text.indexOf("*/", from + 2);
        return close < 0 ? text.length() : close + 2;
    }

    @Override
    public Quote quoteAt(String text, int from) {
        return switch (text.charAt(from)) {
            case '\'' -> new Quote(Token.Kind.STRING, from + 1, "'", true, false, "String");
            case '"' -> new Quote(Token.Kind.QUOTED_IDENTIFIER, from + 1, "\"", true, false, "Quoted identifier");
            case '`' -> new Quote(Token.Kind.QUOTED_IDENTIFIER, from + 1, "`", true, false, "Quoted identifier");
            case '[' -> new Quote(Token.Kind.QUOTED_IDENTIFIER, from + 1, "]", false, false, "Quoted identifier");
            default -> null;
        };
    }

    @Override
    public Boundary boundary() {
        return new TriggerBoundary();
    }

    // Exactly PRAGMA foreign_keys = ON|OFF: the name in any quotes SQLite accepts, as the refusal reads it.
    @Override
    public Optional<String> noOp(StatementTokens t) {
        boolean shape = t.keyword(0, "PRAGMA")
                && t.names(1, "foreign_keys")
                && t.get(2) != null
                && t.get(2).is('=')
                && t.keyword(3, "ON", "OFF")
                && t.get(4) == null;
        return shape ? Optional.of(FOREIGN_KEYS_NO_OP) : Optional.empty();
    }

    // Exactly BEGIN [TRANSACTION], COMMIT [TRANSACTION] or END [TRANSACTION]: not BEGIN IMMEDIATE,
    // which a file run by the sqlite3 shell would need only to take a lock Lockstep already holds.
    @Override
    public Wrapping wrapping(StatementTokens t) {
        boolean bare = t.get(1) == null || (t.keyword(1, "TRANSACTION") && t.get(2) == null);
        if (bare && t.keyword(0, "BEGIN")) {
            return Wrapping.OPENS;
        }
        if (bare && t.keyword(0, "COMMIT", "END")) {
            return Wrapping.CLOSES;
        }
        return Wrapping.NONE;
    }

    @Override
    public String acceptedWrapping() {
        return ACCEPTED;
    }

    // PRAGMA [schema.]name, the name in any quotes SQLite accepts: "x", [x], `x` or 'x'.
    private static boolean pragma(StatementTokens tokens, String name) {
        return tokens.keyword(0, "PRAGMA") && tokens.names(tokens.afterSchemaPrefix(1), name);
    }

    /** {@code sqlite3_complete()}'s rule for trigger bodies, on the statement's tokens. */
    private static final class TriggerBoundary implements Boundary {
        private int tokenCount; // tokens seen after any EXPLAIN prefix
        private int explainPrefix; // how many words of EXPLAIN QUERY PLAN began this statement
        private Token first; // the first and second words, if the first two tokens are words
        private Token second;
        private boolean trigger;
        private boolean afterSemicolon; // in a trigger body: no token since the last ';'
        private boolean afterEnd; // in a trigger body: the last token was END right after a ';'

        @Override
        public void token(Token token) {
            if (token.kind() != Token.Kind.WORD) {
                tokenCount++;
                afterSemicolon = false;
                afterEnd = false;
                return;
            }
            tokenCount++;
            if (tokenCount == 1 && explainPrefix < EXPLAIN_PREFIX.length && token.is(EXPLAIN_PREFIX[explainPrefix])) {
                explainPrefix++;
                tokenCount = 0;
                return;
            }
            if (tokenCount == 1) {
                first = token;
            } else if (tokenCount == 2) {
                second = token;
                trigger = first != null && first.is("CREATE") && token.is("TRIGGER");
            } else if (tokenCount == 3) {
                trigger = trigger
                        || (first != null
                                && first.is("CREATE")
                                && second != null
                                && (second.is("TEMP") || second.is("TEMPORARY"))
                                && token.is("TRIGGER"));
            }
            afterEnd = trigger && afterSemicolon && token.is("END");
            afterSemicolon = false;
        }

        @Override
        public boolean endsAtSemicolon() {
            if (!trigger || afterEnd) {
                return true;
            }
            afterSemicolon = true;
            return false;
        }
    }
}
