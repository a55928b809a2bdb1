package org.lockstep.internal.sql;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * What one database's SQL says about script text, beyond what every dialect shares: how its
 * comments end, what opens a quoted token, where a semicolon does not end a statement, and
 * which statements a migration may not contain. {@link SqlScanner} asks it at each point where
 * dialects differ; it holds no state of its own and is safe to share.
 */
sealed interface Syntax permits SqliteSyntax, PostgresSyntax {

    /**
     * Returns where a {@code --} comment starting at {@code from} ends: the index of the
     * character that ends it (left for the scanner to read), or the text's length.
     */
    int lineCommentEnd(String text, int from);

    /** Returns whether a block comment opens at {@code from}. */
    boolean opensBlockComment(String text, int from);

    /**
     * Returns the index after the block comment that opens at {@code from}, or -1 if it is
     * never closed and that is an error in this dialect.
     */
    int blockCommentEnd(String text, int from);

    /** Returns the quoted token that opens at {@code from}, or {@code null} if none does. */
    Quote quoteAt(String text, int from);

    /** Returns whether {@code c}, outside quotes and comments, begins a psql meta-command; none by default. */
    default boolean opensMetaCommand(char c) {
        return false;
    }

    /** Returns a new tracker of where the statement that is starting ends. */
    Boundary boundary();

    /**
     * Returns why the statement does nothing inside Lockstep's deploy transaction that
     * Lockstep does not already do, if it is one of the exact shapes the dialect sets aside as
     * such a no-op; none by default.
     */
    default Optional<String> noOp(StatementTokens tokens) {
        return Optional.empty();
    }

    /**
     * Returns whether the statement, in an exact shape the dialect accepts, opens or closes a
     * transaction that a script may wrap around all of its other statements; none by default.
     */
    default Wrapping wrapping(StatementTokens tokens) {
        return Wrapping.NONE;
    }

    /** Says which no-op and wrapping shapes are accepted, for the refusal of one that is not; used only where {@link #wrapping} can answer other than NONE. */
    default String acceptedWrapping() {
        return "";
    }

    /**
     * What a statement is to the one transaction a script may wrap itself in: written for a
     * tool that runs each file as it is, such a pair is what Lockstep's own deploy transaction
     * already is.
     */
    enum Wrapping {
        /** Neither. */
        NONE,
        /** Opens it: must be the script's first statement that is not a no-op. */
        OPENS,
        /** Closes it: must be the script's last statement that is not a no-op. */
        CLOSES
    }

    /**
     * A quoted token's shape.
     *
     * @param kind a string or a quoted identifier
     * @param bodyStart the index right after the opening quote
     * @param close what closes it: a quote character, {@code ]}, or a dollar-quote tag
     * @param doubledCloseEscapes whether a doubled closer ({@code ''}) stands for one inside
     * @param backslashEscapes whether a backslash takes the next character literally
     * @param what what to call it in a message, e.g. {@code String}
     */
    record Quote(
            Token.Kind kind,
            int bodyStart,
            String close,
            boolean doubledCloseEscapes,
            boolean backslashEscapes,
            String what) {}

    /** Follows one statement's tokens to say whether a semicolon ends it. */
    interface Boundary {
        /** Sees the statement's next token, other than a semicolon. */
        void token(Token token);

        /** Sees a semicolon; returns true if it ends the statement, false if it is inside it. */
        boolean endsAtSemicolon();
    }

    /** A rule a statement must pass. */
    @FunctionalInterface
    interface Rule {
        /**
         * Returns why the statement is not allowed, if it is not.
         *
         * @param tokens the statement's tokens
         * @return the reason, or empty
         */
        Optional<String> refusal(StatementTokens tokens);

        /** Returns a rule that refuses, for {@code reason}, every statement {@code applies} to. */
        static Rule when(Predicate<StatementTokens> applies, String reason) {
            return tokens -> applies.test(tokens) ? Optional.of(reason) : Optional.empty();
        }
    }
}
