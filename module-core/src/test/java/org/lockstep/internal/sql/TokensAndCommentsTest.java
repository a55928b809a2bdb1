package org.lockstep.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

final class TokensAndCommentsTest {

    @Test
    void tokensCarryLineDepthAndUnquotedNames() {
        List<SqlToken> tokens = ScriptDialect.SQLITE.tokens("CREATE TABLE \"a\"\"b\" (\n  [c d] TEXT CHECK (x > 0)\n)");

        assertEquals("a\"b", tokens.get(2).name());
        SqlToken column = tokens.get(4);
        assertEquals("c d", column.name());
        assertEquals(2, column.line());
        assertEquals(1, column.depth());
        SqlToken x = tokens.stream().filter(t -> t.is("x")).findFirst().orElseThrow();
        assertEquals(2, x.depth());
        assertEquals(0, tokens.get(tokens.size() - 1).depth(), "a closing parenthesis stands outside");
    }

    @Test
    void commentsAreFoundBetweenTokensWithTheirLinesNotInsideStrings() {
        String text = "-- first\nSELECT '-- not a comment' /* block\nspans */, 1; -- trailing\r\n\n/* last */";

        List<SqlComment> comments = ScriptDialect.SQLITE.comments(text);

        assertEquals(
                List.of(
                        new SqlComment(" first", 1),
                        new SqlComment(" block\nspans ", 2),
                        new SqlComment(" trailing\r", 3),
                        new SqlComment(" last ", 5)),
                comments);
    }

    @Test
    void unclosedStringGivesTheTokensBeforeIt() {
        assertEquals(2, ScriptDialect.SQLITE.tokens("SELECT 1 'open").size());
    }
}
