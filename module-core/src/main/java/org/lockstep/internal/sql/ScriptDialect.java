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

    /** Returns the dialect's syntax, for readers of statements in this package. */
    Syntax syntax() {
        return syntax;
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
        try {
            scan(text, each::accept);
        } catch (RefusedStatementException e) {
            throw new IllegalStateException("a consumer cannot refuse", e);
        }
    }

    /** Receives each statement as it ends; may refuse it. */
    @FunctionalInterface
    private interface Sink {
        void accept(SqlStatement statement) throws RefusedStatementException;
    }

    private void scan(String text, Sink each) throws SqlSyntaxException, RefusedStatementException {
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
     * A script's statements as a migration runs them.
     *
     * @param run the statements to run, in order, each with its line in the script
     * @param skipped the statements set aside as no-ops, in order, with why
     */
    public record Statements(List<SqlStatement> run, List<Skipped> skipped) {
        /** Copies the lists. */
        public Statements {
            run = List.copyOf(run);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * A statement set aside because inside Lockstep's deploy transaction it would do nothing
     * that Lockstep does not already do.
     *
     * @param statement the statement, as the script holds it
     * @param why why it is a no-op
     */
    public record Skipped(SqlStatement statement, String why) {}

    /**
     * Splits a script and checks it as a migration: every statement against the dialect's
     * refusal rules, as it ends (so a refused statement is reported even when the text after it
     * is not SQL at all), and the script as a whole for the one transaction it may wrap around
     * all of its other statements. The exact no-op shapes the dialect accepts are set aside,
     * not run; the statements that run keep their lines.
     *
     * @param text the script's text, as written
     * @return the statements to run and those set aside
     * @throws SqlSyntaxException if a string, quoted identifier or comment that must be closed
     *     is not
     * @throws RefusedStatementException if a statement may not be part of a migration, where
     *     it stands
     */
    public Statements statements(String text) throws SqlSyntaxException, RefusedStatementException {
        return statements(text, refusal -> {
            throw refusal;
        });
    }

    /**
     * Splits and checks a script as {@link #statements(String)} does, but hands each refusal to
     * {@code refused} and goes on (the refused statement is neither run nor set aside): for a
     * linter that reports every refusal, not only the first.
     *
     * @param text the script's text, as written
     * @param refused receives each refusal, in order; may throw it to stop
     * @return the statements to run and those set aside
     * @throws SqlSyntaxException if a string, quoted identifier or comment that must be closed
     *     is not
     * @throws RefusedStatementException if {@code refused} throws it
     */
    public Statements statements(String text, Refusals refused) throws SqlSyntaxException, RefusedStatementException {
        List<SqlStatement> run = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        // The transaction a script may wrap around itself: opened by its first statement
        // that is not a no-op, closed by its last.
        SqlStatement[] opened = {null};
        SqlStatement[] closed = {null};
        scan(text, statement -> {
            StatementTokens tokens = new StatementTokens(statement.sql(), syntax);
            Optional<String> noOp = syntax.noOp(tokens);
            if (noOp.isPresent()) {
                skipped.add(new Skipped(statement, noOp.get()));
                return;
            }
            Syntax.Wrapping wrapping = syntax.wrapping(tokens);
            if (wrapping == Syntax.Wrapping.OPENS) {
                if (opened[0] != null || !run.isEmpty()) {
                    refused.accept(refused(
                            statement,
                            opened[0] != null
                                    ? "a second transaction in one script (the first opened at line ["
                                            + opened[0].line() + "])"
                                    : "this BEGIN does not open the script: statements run before it"));
                    return;
                }
                opened[0] = statement;
                skipped.add(new Skipped(statement, WRAPPER));
                return;
            }
            if (wrapping == Syntax.Wrapping.CLOSES) {
                if (opened[0] == null || closed[0] != null) {
                    refused.accept(refused(
                            statement,
                            closed[0] != null
                                    ? "the script's transaction was already closed at line [" + closed[0].line() + "]"
                                    : "no BEGIN opened the script's transaction"));
                    return;
                }
                closed[0] = statement;
                skipped.add(new Skipped(statement, WRAPPER));
                return;
            }
            Optional<String> refusal = ruleRefusal(tokens);
            if (refusal.isPresent()) {
                refused.accept(new RefusedStatementException(statement, refusal.get()));
                return;
            }
            if (closed[0] != null) {
                refused.accept(refused(
                        statement,
                        "it follows the COMMIT or END that closed the script's transaction at line [" + closed[0].line()
                                + "]"));
                return;
            }
            run.add(statement);
        });
        if (opened[0] != null && closed[0] == null) {
            refused.accept(refused(opened[0], "the transaction it opens is never closed by COMMIT or END"));
        }
        return new Statements(run, skipped);
    }

    /** What hears a script's refused statements. */
    @FunctionalInterface
    public interface Refusals {
        /**
         * Hears one refusal.
         *
         * @param refusal the refused statement and why
         * @throws RefusedStatementException to stop at this refusal
         */
        void accept(RefusedStatementException refusal) throws RefusedStatementException;
    }

    private static final String WRAPPER =
            "the script's own transaction around all of its statements; Lockstep's deploy transaction takes its place";

    // What is wrong with a wrapping statement where it stands, and the shape that is accepted.
    private RefusedStatementException refused(SqlStatement statement, String problem) {
        return new RefusedStatementException(
                statement,
                "a script must not control transactions: Lockstep runs each deploy in a transaction of its own, and "
                        + problem + "; " + syntax.acceptedWrapping());
    }

    /**
     * Returns why the statement cannot be part of a migration in this dialect wherever it
     * stands, if it cannot. The rules read the statement's tokens, so comments and quoting do
     * not hide a statement. A statement whose acceptance depends on its place in the script (a
     * no-op, or the opening or closing of the script's own transaction) is not refused here;
     * {@link #statements} checks the script as a whole.
     *
     * @param statement a statement as {@link #split} produced it
     * @return the reason, or empty if the statement is allowed
     */
    public Optional<String> refusal(SqlStatement statement) {
        StatementTokens tokens = new StatementTokens(statement.sql(), syntax);
        if (syntax.noOp(tokens).isPresent() || syntax.wrapping(tokens) != Syntax.Wrapping.NONE) {
            return Optional.empty();
        }
        return ruleRefusal(tokens);
    }

    private Optional<String> ruleRefusal(StatementTokens tokens) {
        for (Syntax.Rule rule : rules) {
            Optional<String> refusal = rule.refusal(tokens);
            if (refusal.isPresent()) {
                return refusal;
            }
        }
        return Optional.empty();
    }
}
