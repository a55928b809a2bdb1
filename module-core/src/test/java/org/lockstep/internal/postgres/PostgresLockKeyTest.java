package org.lockstep.internal.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The advisory lock key is a promise to operators and to every version of Lockstep that may
 * run at once during a deploy: the first 8 bytes of SHA-256 of {@code lockstep:<schema>.<table>}.
 * Its values are pinned (computed independently with Python's hashlib).
 */
final class PostgresLockKeyTest {

    @Test
    void theKeyIsTheFirstEightBytesOfTheSha256OfTheQualifiedTable() {
        assertEquals(-2183950451511537694L, PostgresSession.lockKey("public", "schema_migrations"));
        assertEquals(2223061661201166838L, PostgresSession.lockKey("app", "schema_migrations"));
    }
}
