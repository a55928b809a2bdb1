package org.lockstep.internal.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
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
            "DROP TRIGGER tr",
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
    void aTriggerMadeCountsAsWritingWhatItsBodyWrites() {
        // Fired later by Lockstep's own history insert, whose write is counted before the trigger exists.
        assertEquals(tables("u"), of("CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u; END"));
        assertEquals(
                tables("u", "v"),
                of("CREATE TEMP TRIGGER IF NOT EXISTS tr AFTER INSERT ON schema_migrations"
                        + " BEGIN DELETE FROM u; UPDATE v SET x = 1; END"));
        assertEquals(Writes.EVERYTHING, of("CREATE TRIGGER tr AFTER INSERT ON t BEGIN"));
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

    @Test
    void namesFoldOnlyAsciiCaseAsSqliteDoes() {
        // SQLite takes "\u00c7C" and "\u00c7c" for one table, "\u00c7c" and "\u00e7c" for two: Java's
        // toLowerCase would fold the \u00c7 too, and the check would look for a table that is not there.
        assertEquals(tables("\u00c7c"), of("INSERT INTO \"\u00c7C\" VALUES (1)"));
        assertEquals(tables("\u00e4rzte"), of("DELETE FROM \"\u00e4RZTE\""));
    }

    @Test
    void writingSqlitesOwnSchemaMayChangeEverything() {
        assertEquals(Writes.EVERYTHING, of("UPDATE sqlite_schema SET sql = 'x' WHERE name = 't'"));
        assertEquals(Writes.EVERYTHING, of("UPDATE main.SQLITE_MASTER SET sql = 'x'"));
        assertEquals(Writes.EVERYTHING, of("DELETE FROM sqlite_temp_schema"));
    }

    @Test
    void aTriggerBodyIsFoundByItsTokensNotByTheWordBegin() {
        assertEquals(
                tables("p"), Writes.ofTrigger("CREATE TRIGGER audit_begin UPDATE ON log BEGIN DELETE FROM p; END"));
        assertEquals(
                tables("p"),
                Writes.ofTrigger(
                        "CREATE TRIGGER t AFTER INSERT ON log\n-- begin update of rows\nBEGIN DELETE FROM p; END"));
        assertEquals(
                tables("p", "q"),
                Writes.ofTrigger("CREATE TRIGGER t AFTER INSERT ON log WHEN new.begin > 0 BEGIN DELETE FROM p;"
                        + " UPDATE q SET a = CASE WHEN 1 THEN 2 END; END"));
        assertEquals(
                Writes.EVERYTHING,
                Writes.ofTrigger("CREATE TRIGGER t AFTER INSERT ON log BEGIN WITH x AS (SELECT 1) DELETE FROM p; END"));
        assertEquals(Writes.EVERYTHING, Writes.ofTrigger("CREATE TRIGGER t AFTER INSERT ON log BEGIN"));
        assertEquals(Writes.EVERYTHING, Writes.ofTrigger(null));
    }

    @Test
    void aDroppedIndexIsNamedSoItsTableCanBeChecked() {
        assertEquals(
                Optional.of("p_code"),
                Writes.droppedIndex(new SqlStatement("DROP INDEX IF EXISTS main.\"P_Code\"", 1)));
        assertEquals(Optional.of("i"), Writes.droppedIndex(new SqlStatement("DROP INDEX i", 1)));
        assertEquals(Optional.empty(), Writes.droppedIndex(new SqlStatement("DROP TABLE i", 1)));
        assertEquals(Optional.empty(), Writes.droppedIndex(new SqlStatement("DROP INDEX", 1)));
    }

    @Test
    void renamesOfTablesAndColumnsAreRead() {
        assertEquals(
                Optional.of(new Writes.Rename("c", null, "kids")),
                Writes.rename(new SqlStatement("ALTER TABLE main.\"C\" RENAME TO [Kids]", 1)));
        assertEquals(
                Optional.of(new Writes.Rename("c", "pid", "parent_id")),
                Writes.rename(new SqlStatement("ALTER TABLE c RENAME COLUMN PID TO parent_id", 1)));
        assertEquals(
                Optional.of(new Writes.Rename("c", "pid", "parent_id")),
                Writes.rename(new SqlStatement("ALTER TABLE c RENAME pid TO parent_id", 1)));
        for (String other : new String[] {
            "ALTER TABLE c ADD COLUMN x", "ALTER TABLE c RENAME TO", "ALTER TABLE c RENAME pid", "DROP TABLE c"
        }) {
            assertEquals(Optional.empty(), Writes.rename(new SqlStatement(other, 1)), other);
        }
    }
}
