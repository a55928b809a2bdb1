package org.lockstep.internal.sql;

import java.util.List;

/**
 * PostgreSQL's reading of script text, after {@code psql}'s lexer
 * ({@code src/fe_utils/psqlscan.l}), so a script splits here as it does when fed to
 * {@code psql -f}, and the server's ({@code src/backend/parser/scan.l}).
 *
 * <p>Why split at all: the PostgreSQL driver would run a multi-statement string as one
 * implicit transaction of its own, and a failure could not be tied to a line.
 *
 * <p>Quotes: {@code '...'} strings ({@code ''} escapes a quote; a backslash is an ordinary
 * character, as with {@code standard_conforming_strings} on, the default since PostgreSQL
 * 9.1); {@code E'...'} strings, where a backslash also escapes the next character;
 * {@code "..."} identifiers; dollar-quoted bodies ({@code $$...$$}, {@code $tag$...$tag$},
 * https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-DOLLAR-QUOTING).
 * Comments: {@code --} to the end of the line, where both {@code \n} and {@code \r} end a line
 * ({@code non_newline [^\n\r]}); {@code /* *}{@code /}, nested, and an error if never closed.
 *
 * <p>A semicolon ends a statement except inside parentheses (a {@code CREATE RULE ... DO (a;
 * b)}) and, as psql does, inside the {@code BEGIN ... END} of a SQL-standard body in
 * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC}, where a {@code CASE} opens
 * another level that {@code END} closes. There is no trigger {@code BEGIN ... END} rule: that
 * is SQLite's syntax.
 *
 * <p>A backslash outside quotes and comments begins a psql meta-command ({@code \set},
 * {@code \echo}, {@code \i}), read to the end of its line as psql does, so its arguments do not
 * split or break the statement around it.
 *
 * <p>Refused: psql's meta-commands, which are not SQL; {@code COPY ... FROM STDIN} and
 * {@code TO STDOUT}, whose data only psql (or the driver's copy API) can carry; statements
 * that cannot run inside a transaction block, since Lockstep runs every deploy in one; and
 * transaction control. {@code ALTER TYPE ... ADD VALUE} is not refused:
 * since PostgreSQL 12 it runs in a transaction (the new value cannot be used until it commits,
 * so use it in a later migration with {@code PER_MIGRATION}); older servers refuse it
 * themselves, and the deploy is rolled back.
 */
final class PostgresSyntax implements Syntax {
    private static final String NO_TRANSACTION_BLOCK = " cannot run inside a transaction block, and Lockstep runs"
            + " every deploy in a transaction; run it outside Lockstep";

    // https://www.postgresql.org/docs/current/sql-commands.html: the commands whose pages say
    // they "cannot be executed inside a transaction block", and transaction control.
    /** The statements a migration may not contain, checked in order; the first that refuses wins. */
    static final List<Rule> RULES = List.of(
            tokens -> tokens.first(Token.Kind.META_COMMAND)
                    .map(command -> "[" + metaCommandName(command)
                            + "] is a meta-command of psql, not SQL: Lockstep sends each statement to the server"
                            + " through JDBC, where psql's backslash commands do not exist; leave it out, or do its work"
                            + " in SQL"),
            Rule.when(
                    t -> t.keyword(0, "BEGIN", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE")
                            || t.startsWith("START", "TRANSACTION")
                            || t.startsWith("PREPARE", "TRANSACTION"),
                    "a script must not control transactions: Lockstep runs each deploy in a transaction"
                            + " of its own, and this statement would begin, end or split it"),
            Rule.when(
                    t -> t.startsWith("CREATE", "INDEX", "CONCURRENTLY")
                            || t.startsWith("CREATE", "UNIQUE", "INDEX", "CONCURRENTLY"),
                    "CREATE INDEX CONCURRENTLY" + NO_TRANSACTION_BLOCK),
            Rule.when(
                    t -> t.startsWith("DROP", "INDEX", "CONCURRENTLY"),
                    "DROP INDEX CONCURRENTLY" + NO_TRANSACTION_BLOCK),
            // CONCURRENTLY after the object kind, or in the option list: REINDEX (CONCURRENTLY) TABLE t.
            Rule.when(
                    t -> t.keyword(0, "REINDEX") && t.containsKeyword(1, "CONCURRENTLY"),
                    "REINDEX CONCURRENTLY" + NO_TRANSACTION_BLOCK),
            Rule.when(
                    t -> t.keyword(0, "REINDEX") && t.keyword(t.afterParentheses(1), "SYSTEM", "DATABASE", "SCHEMA"),
                    "REINDEX SCHEMA, REINDEX DATABASE and REINDEX SYSTEM" + NO_TRANSACTION_BLOCK),
            Rule.when(
                    t -> t.startsWith("ALTER", "TABLE") && detachesConcurrently(t),
                    "DETACH PARTITION CONCURRENTLY" + NO_TRANSACTION_BLOCK),
            Rule.when(t -> t.keyword(0, "VACUUM"), "VACUUM" + NO_TRANSACTION_BLOCK),
            Rule.when(
                    t -> t.keyword(0, "CREATE", "DROP") && t.keyword(1, "DATABASE", "TABLESPACE"),
                    "CREATE and DROP of a DATABASE or TABLESPACE" + NO_TRANSACTION_BLOCK),
            Rule.when(
                    t -> t.startsWith("ALTER", "DATABASE") && t.findTopLevel(2, "SET", "TABLESPACE") >= 0,
                    "ALTER DATABASE ... SET TABLESPACE" + NO_TRANSACTION_BLOCK),
            Rule.when(t -> t.startsWith("ALTER", "SYSTEM"), "ALTER SYSTEM" + NO_TRANSACTION_BLOCK),
            Rule.when(t -> t.startsWith("DISCARD", "ALL"), "DISCARD ALL" + NO_TRANSACTION_BLOCK),
            // The driver refuses both at run time ("COPY commands are only supported using the
            // CopyManager API"); psql would feed the rows that follow in the script.
            Rule.when(
                    t -> t.keyword(0, "COPY")
                            && (t.findTopLevel(1, "FROM", "STDIN") >= 0 || t.findTopLevel(1, "TO", "STDOUT") >= 0),
                    "COPY ... FROM STDIN and COPY ... TO STDOUT need psql's input and output, which a migration"
                            + " run through JDBC does not have; insert the rows with INSERT, or COPY FROM a file"
                            + " the server can read"));

    @Override
    public int lineCommentEnd(String text, int from) {
        int end = from;
        while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
            end++;
        }
        return end;
    }

    @Override
    public boolean opensBlockComment(String text, int from) {
        return text.startsWith("/*", from);
    }

    @Override
    public int blockCommentEnd(String text, int from) {
        int depth = 0;
        int j = from;
        while (j < text.length()) {
            if (text.startsWith("/*", j)) {
                depth++;
                j += 2;
            } else if (text.startsWith("*/", j)) {
                depth--;
                j += 2;
                if (depth == 0) {
                    return j;
                }
            } else {
                j++;
            }
        }
        return -1;
    }

    @Override
    public Quote quoteAt(String text, int from) {
        char c = text.charAt(from);
        if (c == '\'') {
            return new Quote(Token.Kind.STRING, from + 1, "'", true, false, "String");
        }
        if (c == '"') {
            return new Quote(Token.Kind.QUOTED_IDENTIFIER, from + 1, "\"", true, false, "Quoted identifier");
        }
        // The scanner reads a word whole, so an E here starts a token: E'..', not some'..'.
        if ((c == 'E' || c == 'e') && from + 1 < text.length() && text.charAt(from + 1) == '\'') {
            return new Quote(Token.Kind.STRING, from + 2, "'", true, true, "String");
        }
        if (c == '$') {
            int tagEnd = dollarTagEnd(text, from);
            if (tagEnd > 0) {
                String tag = text.substring(from, tagEnd);
                return new Quote(Token.Kind.STRING, tagEnd, tag, false, false, "Dollar-quoted string " + tag);
            }
        }
        return null; // a positional parameter ($1) or a stray dollar is read as a word
    }

    // No SQL token holds a backslash outside quotes (the server's grammar rejects one); psql
    // takes it as the start of a meta-command such as \set or \echo.
    @Override
    public boolean opensMetaCommand(char c) {
        return c == '\\';
    }

    @Override
    public Boundary boundary() {
        return new AtomicBodyBoundary();
    }

    // The command's name, without its arguments: \set for "\set ON_ERROR_STOP on".
    private static String metaCommandName(Token command) {
        String text = command.text();
        int end = 1;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '\\') {
            end++;
        }
        return text.substring(0, end);
    }

    private static boolean detachesConcurrently(StatementTokens tokens) {
        int after = tokens.findTopLevel(2, "DETACH", "PARTITION");
        return after >= 0 && tokens.findTopLevel(after, "CONCURRENTLY") >= 0;
    }

    /** The index after a dollar-quote tag starting at {@code i} ({@code $$} or {@code $tag$}), or -1. */
    private static int dollarTagEnd(String text, int i) {
        int j = i + 1;
        if (j < text.length() && isTagStart(text.charAt(j))) {
            j++;
            while (j < text.length() && SqlScanner.isWordPart(text.charAt(j)) && text.charAt(j) != '$') {
                j++;
            }
        }
        return j < text.length() && text.charAt(j) == '$' ? j + 1 : -1;
    }

    private static boolean isTagStart(char c) {
        return Character.isLetter(c) || c == '_' || c > 0x7f;
    }

    /**
     * psql's heuristic for SQL-standard routine bodies: in a statement that begins
     * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}, outside parentheses, {@code BEGIN} opens a
     * level, {@code CASE} inside one opens another, and {@code END} closes one.
     */
    private static final class AtomicBodyBoundary implements Boundary {
        private final Token[] words = new Token[4]; // the statement's first words
        private int wordCount;
        private int parenDepth;
        private int beginDepth;

        @Override
        public void token(Token token) {
            if (token.is('(')) {
                parenDepth++;
            } else if (token.is(')') && parenDepth > 0) {
                parenDepth--;
            }
            if (token.kind() != Token.Kind.WORD) {
                return;
            }
            if (wordCount < words.length) {
                words[wordCount++] = token;
            }
            if (parenDepth == 0 && createsRoutine()) {
                if (token.is("BEGIN")) {
                    beginDepth++;
                } else if (token.is("CASE") && beginDepth > 0) {
                    beginDepth++;
                } else if (token.is("END") && beginDepth > 0) {
                    beginDepth--;
                }
            }
        }

        @Override
        public boolean endsAtSemicolon() {
            return parenDepth == 0 && beginDepth == 0;
        }

        private boolean createsRoutine() {
            if (wordCount < 2 || !words[0].is("CREATE")) {
                return false;
            }
            if (words[1].is("FUNCTION") || words[1].is("PROCEDURE")) {
                return true;
            }
            return wordCount >= 4
                    && words[1].is("OR")
                    && words[2].is("REPLACE")
                    && (words[3].is("FUNCTION") || words[3].is("PROCEDURE"));
        }
    }
}
