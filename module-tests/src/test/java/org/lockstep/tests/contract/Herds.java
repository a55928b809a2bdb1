package org.lockstep.tests.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import org.lockstep.tests.fixture.TestDatabase;

/** The herd contracts' scripts and the invariant they check. */
final class Herds {
    private Herds() {}

    static void write(Path folder, String name, String text) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the scripts {@code from..to}. Odd versions create a table with one row; every
     * version inserts one row into {@code effects}, which is not idempotent, so a migration
     * applied twice shows as two rows with the same version.
     */
    static void writeScripts(Path folder, int from, int to, TestDatabase db) {
        for (int v = from; v <= to; v++) {
            StringBuilder sql = new StringBuilder();
            if (v == 1) {
                sql.append("CREATE TABLE effects (version INTEGER NOT NULL, note TEXT);\n");
            }
            if (v % 2 == 1) {
                sql.append("CREATE TABLE t")
                        .append(v)
                        .append(" (id ")
                        .append(db.sql().generatedKey())
                        .append(", label TEXT);\n");
                sql.append("INSERT INTO t")
                        .append(v)
                        .append(" (label) VALUES ('made by ")
                        .append(v)
                        .append("; once');\n");
            }
            sql.append("INSERT INTO effects (version, note) VALUES (").append(v).append(", 'applied');\n");
            write(folder, String.format("%03d_step_%d.sql", v, v), sql.toString());
        }
    }

    /**
     * Writes {@code R__views.sql} as of an edit: it replaces a view over {@code effects} and
     * records one effect of version 0 naming the edit, so each application of each edit shows.
     */
    static void writeRepeatable(Path folder, int edit) {
        write(
                folder,
                "R__views.sql",
                "DROP VIEW IF EXISTS effect_notes;\n"
                        + "CREATE VIEW effect_notes AS SELECT version, note FROM effects WHERE version > 0;\n"
                        + "INSERT INTO effects (version, note) VALUES (0, 'views edit " + edit + "');\n");
    }

    /** The effects of {@code R__views.sql}, one per application, in order of their notes. */
    static java.util.List<String> repeatableEffects(TestDatabase db) throws SQLException {
        return db.strings("SELECT note FROM effects WHERE version = 0 ORDER BY note");
    }

    /**
     * Each version in the history exactly once, each effect exactly once, and the database
     * intact; the rows and effects of {@link #writeRepeatable} are counted apart.
     */
    static void assertExactlyOnce(TestDatabase db, int versions) throws SQLException {
        assertEquals(versions, db.count("SELECT count(*) FROM schema_migrations WHERE version IS NOT NULL"));
        assertEquals(versions, db.count("SELECT count(DISTINCT version) FROM schema_migrations"));
        assertEquals(versions, db.count("SELECT count(*) FROM effects WHERE version > 0"));
        assertEquals(versions, db.count("SELECT count(DISTINCT version) FROM effects WHERE version > 0"));
        for (int v = 1; v <= versions; v += 2) {
            assertEquals(1, db.count("SELECT count(*) FROM t" + v), "rows of t" + v);
        }
        db.assertIntact();
    }
}
