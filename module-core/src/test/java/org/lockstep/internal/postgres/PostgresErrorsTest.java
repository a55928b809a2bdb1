package org.lockstep.internal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockstep.DatabaseException;
import org.lockstep.internal.history.HistoryName;
import org.lockstep.internal.jdbc.ConnectionSource;

/**
 * PostgreSQL's errors are told apart by SQLState alone, as the class comment lists them: which
 * are waited out (busy, a lost connection, a server that cannot take one now) and what the
 * user is told for each. No server is needed: nothing here connects.
 */
final class PostgresErrorsTest {
    private final PostgresDatabase database = new PostgresDatabase(
            ConnectionSource.of("jdbc:postgresql://db.example:5432/app"),
            new HistoryName("schema_migrations", Optional.empty()));

    @Test
    void busyLostAndUnreachableAreTheListedStatesAndNoOthers() {
        for (String busy : List.of("55P03", "40001", "40P01")) {
            assertTrue(database.isBusy(error(busy)), busy);
        }
        for (String lost : List.of("08003", "08006", "08007", "57P01", "57P02")) {
            assertTrue(database.isConnectionLost(error(lost)), lost);
            assertFalse(database.isBusy(error(lost)), lost);
        }
        for (String unreachable : List.of("08001", "57P03")) {
            assertTrue(database.isUnreachable(error(unreachable)), unreachable);
            assertFalse(database.isConnectionLost(error(unreachable)), unreachable);
        }
        for (String other : List.of("42P01", "23505", "42501", "25006", "")) {
            assertFalse(database.isBusy(error(other)), other);
            assertFalse(database.isConnectionLost(error(other)), other);
            assertFalse(database.isUnreachable(error(other)), other);
        }
    }

    @Test
    void theStateIsTakenFromTheFirstCauseThatHasOne() {
        SQLException wrapped = new SQLException("wrapper", (String) null, new SQLException("lost", "08006"));
        assertTrue(database.isConnectionLost(wrapped));
        assertEquals("", PostgresDatabase.state(new SQLException("no state")));
    }

    @Test
    void eachFaultIsTranslatedToItsReasonWithTheDatabaseAndWhatWasBeingDone() {
        assertTranslated(
                "28P01", DatabaseException.Reason.CREDENTIALS_REFUSED, "refused the credentials while migrating");
        assertTranslated("3D000", DatabaseException.Reason.CANNOT_OPEN, "does not exist");
        assertTranslated("57P01", DatabaseException.Reason.CONNECTION_LOST, "lost the connection");
        assertTranslated("08006", DatabaseException.Reason.CONNECTION_LOST, "lost the connection");
        assertTranslated("08001", DatabaseException.Reason.CANNOT_OPEN, "cannot be reached while migrating");
        assertTranslated("57P03", DatabaseException.Reason.CANNOT_OPEN, "cannot be reached while migrating");
        assertTranslated("25006", DatabaseException.Reason.READ_ONLY, "is read-only");
        assertTranslated("42501", DatabaseException.Reason.OTHER, "denied a permission while migrating");
        assertTranslated("XX000", DatabaseException.Reason.OTHER, "failed while migrating");
    }

    private void assertTranslated(String state, DatabaseException.Reason reason, String says) {
        SQLException error = error(state);
        DatabaseException translated = database.translate(error, "migrating");
        assertEquals(reason, translated.reason(), state);
        assertTrue(translated.getMessage().contains(says), state + ": " + translated.getMessage());
        assertTrue(translated.getMessage().contains(database.describe()), translated.getMessage());
        assertTrue(translated.getMessage().endsWith("the cause " + state), translated.getMessage());
        assertSame(error, translated.getCause());
    }

    private static SQLException error(String state) {
        return new SQLException("the cause " + state, state.isEmpty() ? null : state);
    }
}
