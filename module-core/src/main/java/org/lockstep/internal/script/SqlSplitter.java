package org.lockstep.internal.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQLite script text into statements, following SQLite's own rules for where a
 * statement ends ({@code sqlite3_complete()} in SQLite's {@code complete.c}).
 *
 * <p>Why split at all: SQLite's JDBC driver runs only the first statement of a
 * multi-statement {@code execute()} and silently drops the rest.
 *
 * <p>A semicolon ends a statement except inside {@code '...'} strings ({@code ''} escapes a
 * quote), {@code "..."}, {@code [...]} and {@code `...`} identifiers, {@code --} and
 * {@code /* *}{@code /} comments, and the body of {@code CREATE [TEMP|TEMPORARY] TRIGGER}: there
 * the statement ends only at a semicolon that follows {@code END} when that {@code END} is
 * the first token after a semicolon, which is what lets {@code CASE ... END} appear inside
 * a trigger body. A last statement without a semicolon is kept. Statements made of nothing
 * but whitespace and comments are dropped; comments before a statement are not part of it,
 * so its line is the line of its first token.
 *
 * <p>The input is expected with line endings already normalised to {@code \n} (a stray
 * {@code \r} is whitespace to SQLite and counts no line).
 */
public final class SqlSplitter {
    private static final String[] EXPLAIN_PREFIX = {"EXPLAIN", "QUERY", "PLAN"};

    private SqlSplitter() {
    }

    /**
     * Splits normalised script text into statements.
     *
     * @param text the script text
     * @return the statements, in order
     * @throws SqlSyntaxException if a string, quoted identifier or block comment is not closed
     */
    public static List<SqlStatement> split(String text) throws SqlSyntaxException {
        List<SqlStatement> statements = new ArrayList<>();
        int length = text.length();
        int line = 1;
        int start = -1; // index of the current statement's first token, or -1 before it
        int startLine = 0;
        int tokenCount = 0; // words seen in this statement, up to 3, to recognise CREATE TRIGGER
        String firstWord = null;
        String secondWord = null;
        boolean trigger = false;
        int explainPrefix = 0; // how many words of EXPLAIN QUERY PLAN began this statement
        boolean afterSemicolon = false; // in a trigger body: no token since the last ';'
        boolean afterEnd = false; // in a trigger body: the last token was END right after a ';'
        int i = 0;
        while (i < length) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                i++;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '-' && i + 1 < length && text.charAt(i + 1) == '-') {
                while (i < length && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            if (c == '/' && i + 1 < length && text.charAt(i + 1) == '*') {
                int commentLine = line;
                int end = text.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new SqlSyntaxException(commentLine, "Block comment starting at line [" + commentLine
                            + "] is never closed");
                }
                line += count(text, i, end + 2);
                i = end + 2;
                continue;
            }
            if (c == ';') {
                if (start >= 0 && (!trigger || afterEnd)) {
                    statements.add(new SqlStatement(text.substring(start, i).strip(), startLine));
                    start = -1;
                    tokenCount = 0;
                    firstWord = null;
                    secondWord = null;
                    trigger = false;
                    explainPrefix = 0;
                    afterEnd = false;
                    afterSemicolon = false;
                } else if (trigger) {
                    afterSemicolon = true;
                }
                i++;
                continue;
            }
            // Anything else begins a token of the current statement.
            if (start < 0) {
                start = i;
                startLine = line;
            }
            if (c == '\'' || c == '"' || c == '`' || c == '[') {
                char close = c == '[' ? ']' : c;
                int tokenLine = line;
                int j = i + 1;
                while (true) {
                    if (j >= length) {
                        String what = c == '\'' ? "String" : "Quoted identifier";
                        throw new SqlSyntaxException(tokenLine, what + " starting at line [" + tokenLine
                                + "] is never closed");
                    }
                    char d = text.charAt(j);
                    if (d == close) {
                        // A doubled quote is an escaped quote; brackets have no escape.
                        if (close != ']' && j + 1 < length && text.charAt(j + 1) == close) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    if (d == '\n') {
                        line++;
                    }
                    j++;
                }
                i = j + 1;
                afterSemicolon = false;
                afterEnd = false;
                tokenCount++;
                continue;
            }
            if (isWordChar(c)) {
                int j = i;
                while (j < length && isWordChar(text.charAt(j))) {
                    j++;
                }
                String word = text.substring(i, j).toUpperCase(Locale.ROOT);
                tokenCount++;
                // EXPLAIN and EXPLAIN QUERY PLAN prefix a statement without changing where it ends.
                if (tokenCount == 1 && explainPrefix < 3 && word.equals(EXPLAIN_PREFIX[explainPrefix])) {
                    explainPrefix++;
                    tokenCount = 0;
                    i = j;
                    continue;
                }
                if (tokenCount == 1) {
                    firstWord = word;
                } else if (tokenCount == 2) {
                    secondWord = word;
                    trigger = "CREATE".equals(firstWord) && "TRIGGER".equals(word);
                } else if (tokenCount == 3) {
                    trigger = trigger || ("CREATE".equals(firstWord)
                            && ("TEMP".equals(secondWord) || "TEMPORARY".equals(secondWord))
                            && "TRIGGER".equals(word));
                }
                afterEnd = trigger && afterSemicolon && "END".equals(word);
                afterSemicolon = false;
                i = j;
                continue;
            }
            // Operators and other punctuation.
            tokenCount++;
            afterSemicolon = false;
            afterEnd = false;
            i++;
        }
        if (start >= 0) {
            String last = text.substring(start).strip();
            if (!last.isEmpty()) {
                statements.add(new SqlStatement(last, startLine));
            }
        }
        return statements;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
    }

    private static int count(String text, int from, int to) {
        int n = 0;
        for (int k = from; k < to; k++) {
            if (text.charAt(k) == '\n') {
                n++;
            }
        }
        return n;
    }
}
