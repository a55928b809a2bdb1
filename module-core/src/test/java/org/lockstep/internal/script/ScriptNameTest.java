package org.lockstep.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockstep.MigrationVersion;

final class ScriptNameTest {

    @Test
    void numberedNameGivesVersionAndDescriptionWithSpaces() {
        ScriptName name = ScriptName.parse("001_create_notes.sql").orElseThrow();
        assertEquals(MigrationVersion.parse("1"), name.version());
        assertEquals("001", name.version().toString());
        assertEquals("create notes", name.description());
    }

    @Test
    void flywayStyleNameIsAccepted() {
        ScriptName name = ScriptName.parse("V2__add_index.sql").orElseThrow();
        assertEquals("2", name.version().toString());
        assertEquals("add index", name.description());
    }

    @Test
    void dottedVersionIsAccepted() {
        ScriptName name = ScriptName.parse("V1.1__fix.sql").orElseThrow();
        assertEquals("1.1", name.version().toString());
        assertEquals(MigrationVersion.parse("1.1"), name.version());
        assertEquals("fix", name.description());
    }

    @Test
    void invalidNamesAreEmpty() {
        for (String fileName : List.of(
                "001.sql",
                "001_.sql",
                "001__.sql",
                "001___x.sql",
                "001_ .sql",
                "abc.sql",
                "1.sql",
                "_1_x.sql",
                "V_1_x.sql",
                "1..2_x.sql",
                "1._x.sql",
                ".1_x.sql",
                "v1__x.sql",
                "001_create_notes.SQL",
                "001_create_notes.sql.bak",
                "001-create.sql")) {
            assertEquals(Optional.empty(), ScriptName.parse(fileName), fileName);
        }
    }

    @Test
    void versionPartTooLargeIsAnErrorSayingSoNotAMismatch() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ScriptName.parse("V1.99999999999999999999__big.sql"));
        assertEquals("Version [1.99999999999999999999] has a part too large: [99999999999999999999]", e.getMessage());
        assertEquals(
                "9223372036854775807",
                ScriptName.parse("9223372036854775807_max.sql")
                        .orElseThrow()
                        .version()
                        .toString());
    }

    @Test
    void onlyNamesEndingInSqlAreScripts() {
        assertTrue(ScriptName.isScript("001_a.sql"));
        assertTrue(ScriptName.isScript("bad.sql"));
        assertFalse(ScriptName.isScript("README.md"));
        assertFalse(ScriptName.isScript("001_a.sql.orig"));
    }

    @Test
    void repeatableNameHasNoVersionAndADescription() {
        ScriptName name = ScriptName.parse("R__reporting_views.sql").orElseThrow();
        assertTrue(name.repeatable());
        assertEquals(null, name.version());
        assertEquals("reporting views", name.description());
        for (String fileName : List.of("R__.sql", "R___x.sql", "R_x.sql", "r__x.sql", "R__ .sql", "R__x.SQL")) {
            assertEquals(Optional.empty(), ScriptName.parse(fileName), fileName);
        }
    }
}
