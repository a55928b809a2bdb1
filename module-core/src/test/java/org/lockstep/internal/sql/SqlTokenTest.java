package org.lockstep.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The tokens the linter reads: which are keywords, symbols and names, and the names they stand for. */
final class SqlTokenTest {
    @Test
    void namesAreReadWithoutTheirQuotesWhateverTheQuoting() {
        List<SqlToken> t = ScriptDialect.SQLITE.tokens("word [a b] \"x\"\"y\" 'it''s' `q``r` (");

        assertEquals(
                List.of("word", "a b", "x\"y", "it's", "q`r", "("),
                t.stream().map(SqlToken::name).toList());
        assertEquals(
                List.of(true, true, true, true, true, false),
                t.stream().map(SqlToken::isName).toList());
    }

    @Test
    void stringsThatAreNeverNamesKeepTheirText() {
        List<SqlToken> t = ScriptDialect.POSTGRESQL.tokens("E'a''b' $$c$$ $1");

        assertEquals(
                List.of("E'a''b'", "$$c$$", "$1"),
                t.stream().map(SqlToken::name).toList());
        assertEquals(SqlToken.Kind.STRING, t.get(1).kind());
        assertEquals(SqlToken.Kind.WORD, t.get(2).kind());
    }

    @Test
    void keywordsAreUnquotedWordsInAnyCaseAndSymbolsOneCharacter() {
        List<SqlToken> t = ScriptDialect.SQLITE.tokens("Create \"TABLE\" 'table' ( x");

        assertTrue(t.get(0).is("CREATE"));
        assertFalse(t.get(0).is("CREAT"));
        assertFalse(t.get(1).is("TABLE"), "a quoted identifier is a name, not a keyword");
        assertFalse(t.get(2).is("table"), "a string is not a keyword");
        assertTrue(t.get(3).is('('));
        assertFalse(t.get(3).is("("), "a symbol is not a word");
        assertFalse(t.get(4).is('x'), "a word of one letter is not a symbol");
    }
}
