package org.lockstep.internal.sql;

/**
 * One token of SQL text as the dialect's scanner reads it, for code outside this package that
 * reads statements (the linter): comments are already gone and quoted names are read whole.
 *
 * @param kind what kind of token it is
 * @param text the token as written
 * @param start the index of its first character in the text it was read from
 * @param end the index after its last character
 * @param line the 1-based line of that text it starts on
 * @param depth how many parentheses are open around it (a parenthesis itself stands at the
 *     depth outside it)
 */
public record SqlToken(Kind kind, String text, int start, int end, int line, int depth) {

    /** The kinds of token, in the order of the scanner's own. */
    public enum Kind {
        /** A keyword, an unquoted identifier, a number or a parameter. */
        WORD,
        /** An identifier in the dialect's identifier quotes. */
        QUOTED_IDENTIFIER,
        /** A string literal. */
        STRING,
        /** One character of punctuation or an operator. */
        SYMBOL,
        /** A psql meta-command. */
        META_COMMAND
    }

    private static final Kind[] KINDS = Kind.values();

    // The kinds are declared in Token.Kind's order.
    static SqlToken of(Token token, int depth) {
        return new SqlToken(
                KINDS[token.kind().ordinal()], token.text(), token.start(), token.end(), token.line(), depth);
    }

    /** Returns whether the token is the unquoted word {@code keyword}, in any case. */
    public boolean is(String keyword) {
        return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
    }

    /** Returns whether the token is the punctuation character {@code symbol}. */
    public boolean is(char symbol) {
        return kind == Kind.SYMBOL && text.length() == 1 && text.charAt(0) == symbol;
    }

    /** Returns whether the token can stand for a name: a word, a quoted identifier or a plain string. */
    public boolean isName() {
        return kind == Kind.WORD || kind == Kind.QUOTED_IDENTIFIER || kind == Kind.STRING;
    }

    /**
     * Returns the name the token stands for: a word as written, a quoted identifier or a plain
     * string without its quotes and with doubled quotes undone.
     */
    public String name() {
        return Token.nameOf(kind == Kind.QUOTED_IDENTIFIER || kind == Kind.STRING, text);
    }
}
