package org.lockstep.internal.sql;

/**
 * The one scanner of script text, for every dialect. It skips whitespace and comments, reads
 * strings and quoted identifiers whole, and counts lines, and yields the tokens that statement
 * boundaries and refusal rules look at: words, quoted tokens, single punctuation characters and
 * psql meta-commands. Where dialects differ (how a comment ends, what opens a quoted token) it
 * asks the dialect's {@link Syntax}.
 *
 * <p>Lines are counted as an editor shows them: {@code \n}, {@code \r\n} and a lone {@code \r}
 * each end one line. That is independent of what ends a comment: SQLite ends a {@code --}
 * comment only at {@code \n}, so a lone {@code \r} inside one counts a line without ending it.
 *
 * <p>Not thread-safe: one scanner reads one text once.
 */
final class SqlScanner {
    private final String text;
    private final Syntax syntax;
    private int position;
    private int line = 1;

    SqlScanner(String text, Syntax syntax) {
        this.text = text;
        this.syntax = syntax;
    }

    /**
     * Returns the next token, or {@code null} at the end of the text.
     *
     * @throws SqlSyntaxException if a string, quoted identifier or comment that the dialect
     *     requires to be closed is not
     */
    Token next() throws SqlSyntaxException {
        int length = text.length();
        while (position < length) {
            char c = text.charAt(position);
            if (Character.isWhitespace(c)) {
                advanceTo(position + 1);
                continue;
            }
            if (c == '-' && position + 1 < length && text.charAt(position + 1) == '-') {
                advanceTo(syntax.lineCommentEnd(text, position));
                continue;
            }
            if (syntax.opensBlockComment(text, position)) {
                int end = syntax.blockCommentEnd(text, position);
                if (end < 0) {
                    throw new SqlSyntaxException(line, "Block comment starting at line [" + line + "] is never closed");
                }
                advanceTo(end);
                continue;
            }
            int start = position;
            int startLine = line;
            Syntax.Quote quote = syntax.quoteAt(text, position);
            if (quote != null) {
                advanceTo(quoteEnd(quote, startLine));
                return new Token(quote.kind(), text, start, position, startLine);
            }
            if (syntax.opensMetaCommand(c)) {
                // psql reads a meta-command and its arguments up to the end of the line.
                int end = position;
                while (end < length && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                    end++;
                }
                advanceTo(end);
                return new Token(Token.Kind.META_COMMAND, text, start, end, startLine);
            }
            if (isWordPart(c)) {
                int end = position + 1;
                while (end < length && isWordPart(text.charAt(end))) {
                    end++;
                }
                advanceTo(end);
                return new Token(Token.Kind.WORD, text, start, end, startLine);
            }
            advanceTo(position + 1);
            return new Token(Token.Kind.SYMBOL, text, start, position, startLine);
        }
        return null;
    }

    /** Returns the index after the quoted token that opens at the current position. */
    private int quoteEnd(Syntax.Quote quote, int startLine) throws SqlSyntaxException {
        String close = quote.close();
        int length = text.length();
        int j = quote.bodyStart();
        while (j < length) {
            if (quote.backslashEscapes() && text.charAt(j) == '\\' && j + 1 < length) {
                j += 2;
                continue;
            }
            if (text.startsWith(close, j)) {
                int after = j + close.length();
                if (quote.doubledCloseEscapes() && text.startsWith(close, after)) {
                    j = after + close.length();
                    continue;
                }
                return after;
            }
            j++;
        }
        throw new SqlSyntaxException(startLine, quote.what() + " starting at line [" + startLine + "] is never closed");
    }

    /** Moves to {@code end}, counting the line breaks passed over. */
    private void advanceTo(int end) {
        for (int k = position; k < end; k++) {
            if (isLineBreak(text, k)) {
                line++;
            }
        }
        position = end;
    }

    /** Whether the character at {@code k} ends a line: {@code \n}, or {@code \r} not followed by {@code \n}. */
    static boolean isLineBreak(String text, int k) {
        char c = text.charAt(k);
        return c == '\n' || (c == '\r' && (k + 1 == text.length() || text.charAt(k + 1) != '\n'));
    }

    /**
     * Whether {@code c} continues a word: letters, digits, {@code _}, {@code $} (SQLite's
     * {@code $name} parameters, PostgreSQL's {@code a$b} identifiers and {@code $1} parameters)
     * and any non-ASCII character, as both tokenizers take those as identifier characters.
     */
    static boolean isWordPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f;
    }
}
