package org.lockstep.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

final class WritesTest {

    private static Writes of(String sql) {
        return Writes.of(new SqlStatement(sql, 1));
    }

    private static Writes tables(String... names) {
        return new Writes(false, Set.of(names));
    }

    @Test
    void statementsThatChangeNoTableChangeNone() {
        for (String sql : new String[] {
            "SELECT * FROM t",
            "CREATE INDEX i ON t (x)",
            "CREATE UNIQUE INDEX i ON t (x)",
            "DROP INDEX i",
            "CREATE VIEW v AS SELECT 1",
            "DROP VIEW v",
            "PRAGMA foreign_key_check",
            "CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; END",
            "ANALYZE",
            "EXPLAIN DELETE FROM t"
        }) {
            assertEquals(Writes.NONE, of(sql), sql);
        }
    }

    @Test
    void writesNameTheirTableInAnyQuotingAndSchema() {
        assertEquals(tables("t"), of("INSERT INTO t VALUES (1)"));
        assertEquals(tables("t"), of("INSERT OR REPLACE INTO main.\"T\" (a) SELECT 1"));
        assertEquals(tables("t"), of("REPLACE INTO [t] VALUES (1)"));
        assertEquals(tables("t"), of("UPDATE OR IGNORE `t` SET a = 1"));
        assertEquals(tables("t"), of("UPDATE t SET a = (SELECT 1 FROM u)"));
        assertEquals(tables("t"), of("DELETE FROM main.t WHERE a IN (SELECT a FROM u)"));
        assertEquals(tables("t"), of("CREATE TABLE IF NOT EXISTS t (a)"));
        assertEquals(tables("t"), of("CREATE TEMP TABLE t AS SELECT 1"));
        assertEquals(tables("t"), of("DROP TABLE IF EXISTS t"));
        assertEquals(tables("t"), of("ALTER TABLE t ADD COLUMN b REFERENCES p (id)"));
        assertEquals(tables("t_new", "t"), of("ALTER TABLE t_new RENAME TO t"));
    }

    @Test
    void aStatementWhoseTargetTheTokensDoNotSayPlainlyMayChangeEverything() {
        assertEquals(Writes.EVERYTHING, of("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x"));
        assertEquals(Writes.EVERYTHING, of("CREATE SOMETHING NEW"));
        for (String cut : new String[] {
            "INSERT VALUES (1)",
            "DELETE FROM",
            "UPDATE (",
            "ALTER TABLE t RENAME TO",
            "ALTER TABLE ;",
            "DROP TABLE main."
        }) {
            assertEquals(Writes.EVERYTHING, of(cut), "a statement cut short: " + cut);
        }
    }
}
