package org.lockstep.internal.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tokens of one statement as the dialect's scanner reads them, for refusal rules: comments
 * are already gone, and a rule compares keywords and names instead of raw text, so
 * {@code CREATE /*c*}{@code / INDEX} and {@code PRAGMA [journal_mode]} read as what they are.
 * Tokens are scanned only as far as the rules look, which for most statements is one word.
 *
 * <p>Positions are token indexes; a position past the last token holds no token, so a
 * rule can chain look-ups without checking the length first.
 */
final class StatementTokens {
    private final SqlScanner scanner;
    private final List<Token> tokens = new ArrayList<>();
    // The parenthesis depth each token stands at, so a rule can look at the top level only.
    private final List<Integer> depths = new ArrayList<>();
    private int depth;
    private boolean exhausted;

    StatementTokens(String sql, Syntax syntax) {
        this.scanner = new SqlScanner(sql, syntax);
    }

    /** Returns the token at {@code index}, or {@code null} past the last one. */
    Token get(int index) {
        while (tokens.size() <= index && !exhausted) {
            Token next;
            try {
                next = scanner.next();
            } catch (SqlSyntaxException e) {
                // A statement the splitter produced is whole; a hand-made one may end in an
                // unclosed quote, and the rules see the tokens before it.
                next = null;
            }
            if (next == null) {
                exhausted = true;
            } else {
                if (next.is(')') && depth > 0) {
                    depth--;
                }
                tokens.add(next);
                depths.add(depth);
                if (next.is('(')) {
                    depth++;
                }
            }
        }
        return index < tokens.size() ? tokens.get(index) : null;
    }

    /** Returns whether the token at {@code index} is one of the unquoted {@code keywords}, in any case. */
    boolean keyword(int index, String... keywords) {
        Token token = get(index);
        if (token != null) {
            for (String keyword : keywords) {
                if (token.is(keyword)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Returns whether the statement begins with the unquoted {@code keywords}, in order. */
    boolean startsWith(String... keywords) {
        for (int i = 0; i < keywords.length; i++) {
            if (!keyword(i, keywords[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the index after the first run of the unquoted {@code keywords}, in order and
     * outside parentheses, at or after {@code from}; or -1 if there is none.
     */
    int findTopLevel(int from, String... keywords) {
        for (int i = from; get(i) != null; i++) {
            if (depths.get(i) != 0) {
                continue;
            }
            int k = 0;
            while (k < keywords.length && keyword(i + k, keywords[k])) {
                k++;
            }
            if (k == keywords.length) {
                return i + k;
            }
        }
        return -1;
    }

    /** Returns whether any token at or after {@code from}, in parentheses or not, is the unquoted {@code keyword}. */
    boolean containsKeyword(int from, String keyword) {
        for (int i = from; get(i) != null; i++) {
            if (get(i).is(keyword)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether the token at {@code index} names {@code name}, in any case and in any of
     * the dialect's quotes: {@code journal_mode}, {@code "journal_mode"}, {@code [journal_mode]}.
     */
    boolean names(int index, String name) {
        Token token = get(index);
        return isName(token) && token.name().equalsIgnoreCase(name);
    }

    /** Returns {@code index} moved past a {@code schema.} prefix, if one stands there. */
    int afterSchemaPrefix(int index) {
        Token dot = get(index + 1);
        return isName(get(index)) && dot != null && dot.is('.') ? index + 2 : index;
    }

    /** Returns {@code index} moved past a parenthesised list, such as an option list, if one opens there. */
    int afterParentheses(int index) {
        Token open = get(index);
        if (open == null || !open.is('(')) {
            return index;
        }
        int outer = depths.get(index);
        for (int i = index + 1; get(i) != null; i++) {
            if (get(i).is(')') && depths.get(i) == outer) {
                return i + 1;
            }
        }
        return index;
    }

    private static boolean isName(Token token) {
        return token != null
                && (token.kind() == Token.Kind.WORD
                        || token.kind() == Token.Kind.QUOTED_IDENTIFIER
                        || token.kind() == Token.Kind.STRING);
    }

    /** Returns the first token of the given kind, if there is one. */
    Optional<Token> first(Token.Kind kind) {
        for (int i = 0; get(i) != null; i++) {
            if (get(i).kind() == kind) {
                return Optional.of(get(i));
            }
        }
        return Optional.empty();
    }
}
