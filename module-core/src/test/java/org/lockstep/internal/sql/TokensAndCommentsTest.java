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
    void commentLinesCountTheLinesOfCommentsAndTokensBeforeThem() {
        assertEquals(
                List.of(new SqlComment(" a\nb ", 1), new SqlComment(" c", 2), new SqlComment(" d ", 3)),
                ScriptDialect.SQLITE.comments("SELECT 1; /* a\nb */ -- c\n/* d */"),
                "a block comment over two lines, then two more in the same gap");
        assertEquals(
                List.of(new SqlComment(" after", 3)),
                ScriptDialect.SQLITE.comments("SELECT 'x\ny\nz' -- after\n"),
                "a string over three lines");
        assertEquals(
                List.of(new SqlComment(" a", 2), new SqlComment(" b ", 4)),
                ScriptDialect.SQLITE.comments("SELECT 1\r\n-- a\nSELECT\r2 /* b */"),
                "a carriage return alone breaks a line, before a line feed it does not");
        assertEquals(
                List.of(new SqlComment(" a\rSELECT 1", 1)),
                ScriptDialect.SQLITE.comments("-- a\rSELECT 1"),
                "as SQLite reads it, a line comment ends at a line feed only");
        assertEquals(
                List.of(new SqlComment(" open\n", 2)),
                ScriptDialect.SQLITE.comments("SELECT 1;\n/* open\n"),
                "an unclosed block comment runs to the end");
        assertEquals(
                List.of(new SqlComment(" one ", 1), new SqlComment(" two ", 1)),
                ScriptDialect.POSTGRESQL.comments("/* one */SELECT/* two */1"));
    }

    @Test
    void unclosedStringGivesTheTokensBeforeIt() {
        assertEquals(2, ScriptDialect.SQLITE.tokens("SELECT 1 'open").size());
    }
}
