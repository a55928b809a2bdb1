package org.lockstep.tests.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lockstep.DatabaseException;
import org.lockstep.Migrator;

/** Issue 13, item 3: a database the operator made read-only was migrated anyway. */
final class ReadOnlyDatabaseIsRefusedNotOverriddenTest extends PostgresCase {

    @Test
    @Timeout(60)
    void migrateRefusesSayingWhyAndChangesNothing() throws Exception {
        script("001_t.sql", "CREATE TABLE t (x int);\n");
        database.execute("ALTER ROLE " + role + " SET default_transaction_read_only = on");

        DatabaseException refused = assertThrows(
                DatabaseException.class, () -> Migrator.create(config().build()).migrate());

        assertEquals(DatabaseException.Reason.READ_ONLY, refused.reason());
        assertTrue(refused.getMessage().contains("default_transaction_read_only"), refused.getMessage());
        assertEquals(List.of(), tablesNamed("t"));
        assertEquals(List.of(), tablesNamed("schema_migrations"));
    }
}
