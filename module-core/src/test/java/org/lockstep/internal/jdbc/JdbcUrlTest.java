package org.lockstep.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

final class JdbcUrlTest {

    @Test
    void passwordsInParametersAndUserInfoAreMaskedAndTheRestIsKept() {
        assertEquals(
                "jdbc:postgresql://db/app?user=me&password=***&ssl=true",
                JdbcUrl.redact("jdbc:postgresql://db/app?user=me&password=s3cr;et&ssl=true".replace(";", "")));
        assertEquals(
                "jdbc:postgresql://db/app?sslpassword=***", JdbcUrl.redact("jdbc:postgresql://db/app?sslpassword=x"));
        assertEquals("jdbc:mysql://me:***@db/app", JdbcUrl.redact("jdbc:mysql://me:pw@db/app"));
        assertEquals(
                "jdbc:sqlserver://db;user=me;password=***", JdbcUrl.redact("jdbc:sqlserver://db;user=me;password=pw"));
        assertEquals("jdbc:sqlite:/srv/app.db", JdbcUrl.redact("jdbc:sqlite:/srv/app.db"));
    }

    @Test
    void aSemicolonInsideAPasswordDoesNotEndIt() {
        assertEquals(
                "jdbc:postgresql://db/app?password=***", JdbcUrl.redact("jdbc:postgresql://db/app?password=Ab;Tail9"));
        assertEquals("/x.db?password=***", JdbcUrl.shown("jdbc:sqlite:/x.db?password=Ab;Tail9"));
    }
}
