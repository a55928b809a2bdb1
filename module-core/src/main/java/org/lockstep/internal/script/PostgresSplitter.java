package org.lockstep.internal.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits PostgreSQL script text into statements, following the rules of {@code psql}'s own
 * lexer ({@code src/fe_utils/psqlscan.l}), so a script splits here as it does when fed to
 * {@code psql -f}.
 *
 * <p>Why split at all: the PostgreSQL driver would run a multi-statement string as one
 * implicit transaction of its own, and a failure could not be tied to a line.
 *
 * <p>A semicolon ends a statement except inside: {@code '...'} strings ({@code ''} escapes a
 * quote; a backslash is an ordinary character, as with {@code standard_conforming_strings}
 * on, the default since PostgreSQL 9.1); {@code E'...'} strings, where a backslash also
 * escapes the next character; {@code "..."} identifiers; dollar-quoted bodies
 * ({@code $$...$$}, {@code $tag$...$tag$}, https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-DOLLAR-QUOTING);
 * {@code --} comments and nested {@code /* *}{@code /} comments; parentheses (a
 * {@code CREATE RULE ... DO (a; b)}); and, as psql does, the {@code BEGIN ... END} of a
 * SQL-standard body in {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE ... BEGIN ATOMIC},
 * where a {@code CASE} opens another level that {@code END} closes. There is no trigger
 * {@code BEGIN ... END} rule: that is SQLite's syntax. A last statement without a
 * semicolon is kept; statements of only whitespace and comments are dropped; comments before
 * a statement are not part of it, so its line is the line of its first token.
 *
 * <p>The input is expected with line endings normalised to {@code \n}.
 */
public final class PostgresSplitter {
    private PostgresSplitter() {
    }

    /**
     * Splits normalised script text into statements.
     *
     * @param text the script text
     * @return the statements, in order
     * @throws SqlSyntaxException if a string, quoted identifier, dollar-quoted body or block
     *     comment is not closed
     */
    public static List<SqlStatement> split(String text) throws SqlSyntaxException {
        List<SqlStatement> statements = new ArrayList<>();
        int length = text.length();
        int line = 1;
        int start = -1;
        int startLine = 0;
        int parenDepth = 0;
        int beginDepth = 0;
        // The first words of the statement, to recognise CREATE [OR REPLACE] FUNCTION|PROCEDURE.
        List<String> words = new ArrayList<>(4);
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
                int depth = 0;
                int j = i;
                while (true) {
                    if (j >= length) {
                        throw new SqlSyntaxException(commentLine, "Block comment starting at line [" + commentLine
                                + "] is never closed");
                    }
                    if (text.startsWith("/*", j)) {
                        depth++;
                        j += 2;
                    } else if (text.startsWith("*/", j)) {
                        depth--;
                        j += 2;
                        if (depth == 0) {
                            break;
                        }
                    } else {
                        if (text.charAt(j) == '\n') {
                            line++;
                        }
                        j++;
                    }
                }
                i = j;
                continue;
            }
            if (c == ';') {
                if (start >= 0 && parenDepth == 0 && beginDepth == 0) {
                    statements.add(new SqlStatement(text.substring(start, i).strip(), startLine));
                    start = -1;
                    words.clear();
                }
                i++;
                continue;
            }
            if (start < 0) {
                start = i;
                startLine = line;
            }
            if (c == '\'' || c == '"') {
                boolean backslashEscapes = c == '\'' && isEscapeStringPrefix(text, i);
                int tokenLine = line;
                int j = i + 1;
                while (true) {
                    if (j >= length) {
                        String what = c == '\'' ? "String" : "Quoted identifier";
                        throw new SqlSyntaxException(tokenLine, what + " starting at line [" + tokenLine
                                + "] is never closed");
                    }
                    char d = text.charAt(j);
                    if (backslashEscapes && d == '\\' && j + 1 < length) {
                        if (text.charAt(j + 1) == '\n') {
                            line++;
                        }
                        j += 2;
                        continue;
                    }
                    if (d == c) {
                        if (j + 1 < length && text.charAt(j + 1) == c) {
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
                continue;
            }
            if (c == '$') {
                int tagEnd = dollarTagEnd(text, i);
                if (tagEnd > 0) {
                    String tag = text.substring(i, tagEnd);
                    int close = text.indexOf(tag, tagEnd);
                    if (close < 0) {
                        throw new SqlSyntaxException(line, "Dollar-quoted string " + tag + " starting at line ["
                                + line + "] is never closed");
                    }
                    line += count(text, i, close + tag.length());
                    i = close + tag.length();
                    continue;
                }
                // A positional parameter ($1) or a stray dollar: an ordinary token.
                i++;
                while (i < length && Character.isDigit(text.charAt(i))) {
                    i++;
                }
                continue;
            }
            if (isIdentifierStart(c)) {
                int j = i;
                while (j < length && isIdentifierPart(text.charAt(j))) {
                    j++;
                }
                String word = text.substring(i, j).toUpperCase(Locale.ROOT);
                if (words.size() < 4) {
                    words.add(word);
                }
                if (parenDepth == 0 && createsRoutine(words)) {
                    if (word.equals("BEGIN")) {
                        beginDepth++;
                    } else if (word.equals("CASE") && beginDepth > 0) {
                        beginDepth++;
                    } else if (word.equals("END") && beginDepth > 0) {
                        beginDepth--;
                    }
                }
                i = j;
                continue;
            }
            if (c == '(') {
                parenDepth++;
            } else if (c == ')' && parenDepth > 0) {
                parenDepth--;
            }
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

    // psql's heuristic: CREATE FUNCTION, CREATE PROCEDURE, CREATE OR REPLACE FUNCTION|PROCEDURE.
    private static boolean createsRoutine(List<String> words) {
        if (words.size() < 2 || !words.get(0).equals("CREATE")) {
            return false;
        }
        if (words.get(1).equals("FUNCTION") || words.get(1).equals("PROCEDURE")) {
            return true;
        }
        return words.size() >= 4 && words.get(1).equals("OR") && words.get(2).equals("REPLACE")
                && (words.get(3).equals("FUNCTION") || words.get(3).equals("PROCEDURE"));
    }

    /** Whether the quote at {@code quote} opens an {@code E'...'} string: a lone E right before it. */
    private static boolean isEscapeStringPrefix(String text, int quote) {
        if (quote < 1) {
            return false;
        }
        char e = text.charAt(quote - 1);
        if (e != 'E' && e != 'e') {
            return false;
        }
        return quote < 2 || !isIdentifierPart(text.charAt(quote - 2));
    }

    /** The index after a dollar-quote tag starting at {@code i} ({@code $$} or {@code $tag$}), or -1. */
    private static int dollarTagEnd(String text, int i) {
        if (i > 0 && isIdentifierPart(text.charAt(i - 1))) {
            return -1; // a dollar inside an identifier, such as a$b
        }
        int j = i + 1;
        if (j < text.length() && isIdentifierStart(text.charAt(j))) {
            j++;
            while (j < text.length() && isIdentifierPart(text.charAt(j)) && text.charAt(j) != '$') {
                j++;
            }
        }
        return j < text.length() && text.charAt(j) == '$' ? j + 1 : -1;
    }

    private static boolean isIdentifierStart(char c) {
        return Character.isLetter(c) || c == '_' || c > 0x7f;
    }

    private static boolean isIdentifierPart(char c) {
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
