package org.lockstep.internal.sql;

/**
 * One token of script text as {@link SqlScanner} reads it: its kind and where it lies. The
 * text is not copied; keywords are compared in place.
 *
 * @param kind what kind of token it is
 * @param source the whole text the token was read from
 * @param start the index of its first character in {@code source}
 * @param end the index after its last character
 * @param line the 1-based line it starts on
 */
record Token(Kind kind, String source, int start, int end, int line) {

    /** The kinds of token that boundary and refusal rules tell apart. */
    enum Kind {
        /** A keyword, an unquoted identifier, a number or a parameter such as {@code $1}. */
        WORD,
        /** An identifier in the dialect's identifier quotes: {@code "a"}, and SQLite's {@code [a]} and {@code `a`}. */
        QUOTED_IDENTIFIER,
        /** A string literal: {@code 'a'}, and PostgreSQL's {@code E'a'} and {@code $$a$$}. */
        STRING,
        /** One character of punctuation or an operator, such as {@code ;}, {@code (} or {@code .}. */
        SYMBOL,
        /** A psql meta-command, from its backslash to the end of its line. */
        META_COMMAND
    }

    /** Returns the token's text as written. */
    String text() {
        return source.substring(start, end);
    }

    /** Returns whether the token is the unquoted word {@code keyword}, in any case. */
    boolean is(String keyword) {
        return kind == Kind.WORD
                && end - start == keyword.length()
                && source.regionMatches(true, start, keyword, 0, keyword.length());
    }

    /** Returns whether the token is the punctuation character {@code symbol}. */
    boolean is(char symbol) {
        return kind == Kind.SYMBOL && source.charAt(start) == symbol;
    }

    /**
     * Returns the name the token stands for when it is used as a name: a word as written, a
     * quoted identifier or a plain string without its quotes and with doubled quotes undone
     * (SQLite takes {@code 'journal_mode'} as a name where a name is expected). Anything else
     * as written.
     */
    String name() {
        return nameOf(kind == Kind.QUOTED_IDENTIFIER || kind == Kind.STRING, text());
    }

    /** The name a token's text stands for, as {@link #name()} says; {@code quoted} for a quoted identifier or string. */
    static String nameOf(boolean quoted, String text) {
        if (!quoted) {
            return text;
        }
        char open = text.charAt(0);
        if (open == '[') {
            return text.substring(1, text.length() - 1);
        }
        if (open != '"' && open != '\'' && open != '`') {
            return text; // E'..' and $$..$$ strings are never names
        }
        String quote = String.valueOf(open);
        return text.substring(1, text.length() - 1).replace(quote + quote, quote);
    }
}
