package org.lockstep.internal.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lockstep.LintRule;
import org.lockstep.internal.sql.ScriptDialect;

final class AllowancesTest {
    private static final String SCRIPT = """
            -- lockstep:allow drop-table replaced by labels
            DROP TABLE tags;
            ALTER TABLE notes DROP COLUMN tag; -- lockstep:allow drop-column unused since 1.4
            CREATE TABLE t (
                a TEXT /* lockstep:allow newer-sqlite
                          only 3.45 is deployed */
            ) STRICT;
            -- lockstep:allow drop-table
            DROP TABLE x;
            -- lockstep:allow no-such-rule because
            DROP TABLE y;
            -- lockstep:allow drop-table nothing follows
            """;

    @Test
    void eachCommentAllowsOneRuleOnItsStatement() throws Exception {
        Allowances allowances = Allowances.of(SCRIPT, ScriptDialect.SQLITE.split(SCRIPT), "s.sql");

        assertEquals(Optional.of("replaced by labels"), allowances.reason(LintRule.DROP_TABLE, 2));
        assertEquals(Optional.empty(), allowances.reason(LintRule.DROP_COLUMN, 2));
        assertEquals(Optional.of("unused since 1.4"), allowances.reason(LintRule.DROP_COLUMN, 3));
        assertEquals(Optional.of("only 3.45 is deployed"), allowances.reason(LintRule.NEWER_SQLITE, 4));
        assertEquals(Optional.empty(), allowances.reason(LintRule.DROP_TABLE, 9));
        assertEquals(
                List.of(
                        "Allow comment for [drop-table] in [s.sql] at line [8] gives no reason, so it allows nothing",
                        "Allow comment in [s.sql] at line [10] names [no-such-rule], which is no rule",
                        "Allow comment in [s.sql] at line [12] stands before no statement"),
                allowances.bad().stream().map(Allowances.Bad::message).toList());
    }
}
