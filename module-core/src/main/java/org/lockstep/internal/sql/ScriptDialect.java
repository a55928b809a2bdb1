package org.lockstep.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The SQL dialect a script is written in: how it splits into statements and what it may not
 * contain. Each constant carries its database's {@link Syntax} and refusal rules; the scanning,
 * splitting and checking around them is the same for all.
 *
 * <p>A statement runs from its first token to the semicolon that ends it, as the dialect
 * decides. Comments before a statement are not part of it, so its line is the line of its
 * first token; a last statement without a semicolon is kept; statements made of nothing but
 * whitespace and comments are dropped. The statement's text is the script's text, unchanged.
 *
 * <p>Thread-safe.
 */
public enum ScriptDialect {
    /** SQLite, as its tokenizer and {@code sqlite3_complete()} read a script. */
    SQLITE(new SqliteSyntax(), SqliteSyntax.RULES),
    /** PostgreSQL, as {@code psql} and the server's lexer read a script. */
    POSTGRESQL(new PostgresSyntax(), PostgresSyntax.RULES);

    private final Syntax syntax;
    private final List<Syntax.Rule> rules;

    ScriptDialect(Syntax syntax, List<Syntax.Rule> rules) {
        this.syntax = syntax;
        this.rules = rules;
    }

    /**
     * Splits script text into statements.
     *
     * @param text the script's text, as written
     * @return the statements, in order
     * @throws SqlSyntaxException if a string, quoted identifier or comment that must be closed
     *     is not
     */
    public List<SqlStatement> split(String text) throws SqlSyntaxException {
        List<SqlStatement> statements = new ArrayList<>();
        split(text, statements::add);
        return statements;
    }

    /**
     * Splits script text into statements, handing over each as soon as it ends: a caller that
     * refuses a statement by throwing stops before a syntax error later in the text (such as
     * the rows psql reads after {@code COPY ... FROM STDIN}) is reached.
     *
     * @param text the script's text, as written
     * @param each receives each statement, in order
     * @throws SqlSyntaxException if a string, quoted identifier or comment that must be closed
     *     is not
     */
    public void split(String text, Consumer<SqlStatement> each) throws SqlSyntaxException {
        SqlScanner scanner = new SqlScanner(text, syntax);
        Syntax.Boundary boundary = null;
        int start = -1; // the index of the current statement's first token, or -1 between statements
        int startLine = 0;
        for (Token token = scanner.next(); token != null; token = scanner.next()) {
            if (token.is(';')) {
                if (start >= 0 && boundary.endsAtSemicolon()) {
                    each.accept(new SqlStatement(
                            text.substring(start, token.start()).strip(), startLine));
                    start = -1;
                }
                continue;
            }
            if (start < 0) {
                start = token.start();
                startLine = token.line();
                boundary = syntax.boundary();
            }
            boundary.token(token);
        }
        if (start >= 0) {
            each.accept(new SqlStatement(text.substring(start).strip(), startLine));
        }
    }

    /**
     * Returns the tokens of SQL text, in order, as this dialect's scanner reads them: comments
     * skipped, quoted tokens whole, each with its line and parenthesis depth. Text that ends in
     * an unclosed quote or comment gives the tokens before it.
     *
     * @param text a statement or a whole script
     * @return the tokens
     */
    public List<SqlToken> tokens(String text) {
        SqlScanner scanner = new SqlScanner(text, syntax);
        List<SqlToken> tokens = new ArrayList<>();
        int depth = 0;
        try {
            for (Token token = scanner.next(); token != null; token = scanner.next()) {
                if (token.is(')') && depth > 0) {
                    depth--;
                }
                tokens.add(SqlToken.of(token, depth));
                if (token.is('(')) {
                    depth++;
                }
            }
        } catch (SqlSyntaxException e) {
            // The tokens before the unclosed quote or comment are what there is to read.
        }
        return tokens;
    }

    /**
     * Returns the comments of SQL text, in order, with their lines: what lies between tokens
     * besides whitespace.
     *
     * @param text a whole script
     * @return the comments
     */
    public List<SqlComment> comments(String text) {
        List<SqlComment> comments = new ArrayList<>();
        int from = 0;
        int line = 1;
        List<SqlToken> tokens = tokens(text);
        for (int i = 0; i <= tokens.size(); i++) {
            int to = i < tokens.size() ? tokens.get(i).start() : text.length();
            int k = from;
            while (k < to) {
                if (text.startsWith("--", k)) {
                    int end = Math.min(syntax.lineCommentEnd(text, k), to);
                    comments.add(new SqlComment(text.substring(k + 2, end), line));
                    line += lineBreaks(text, k, end);
                    k = end;
                } else if (syntax.opensBlockComment(text, k)) {
                    int end = syntax.blockCommentEnd(text, k);
                    end = end < 0 ? to : Math.min(end, to);
                    String body = text.substring(k + 2, end);
                    comments.add(
                            new SqlComment(body.endsWith("*/") ? body.substring(0, body.length() - 2) : body, line));
                    line += lineBreaks(text, k, end);
                    k = end;
                } else {
                    line += SqlScanner.isLineBreak(text, k) ? 1 : 0;
                    k++;
                }
            }
            if (i < tokens.size()) {
                SqlToken token = tokens.get(i);
                line = token.line() + lineBreaks(text, token.start(), token.end());
                from = token.end();
            }
        }
        return comments;
    }

    private static int lineBreaks(String text, int from, int to) {
        int breaks = 0;
        for (int k = from; k < to; k++) {
            if (SqlScanner.isLineBreak(text, k)) {
                breaks++;
            }
        }
        return breaks;
    }

    /**
     * Returns why the statement cannot be part of a migration in this dialect, if it cannot.
     * The rules read the statement's tokens, so comments and quoting do not hide a statement.
     *
     * @param statement a statement as {@link #split} produced it
     * @return the reason, or empty if the statement is allowed
     */
    public Optional<String> refusal(SqlStatement statement) {
        StatementTokens tokens = new StatementTokens(statement.sql(), syntax);
        for (Syntax.Rule rule : rules) {
            Optional<String> refusal = rule.refusal(tokens);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }
}
