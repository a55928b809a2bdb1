package org.lockstep.internal.lint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lockstep.LintRule;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlComment;
import org.lockstep.internal.sql.SqlStatement;

/**
 * The {@code lockstep:allow RULE-ID REASON} comments of one script, each tied to one statement:
 * the statement whose lines it stands on (a trailing comment on its last line included), or
 * else the first statement after it.
 */
final class Allowances {
    private static final Pattern ALLOW = Pattern.compile("lockstep:allow(?:\\s+(\\S+))?(?:\\s+(.*))?", Pattern.DOTALL);

    /** One well-formed allow comment. */
    private record Allow(LintRule rule, String reason) {}

    /**
     * A comment that cannot allow anything.
     *
     * @param statementLine the line of the statement it stands at, or the comment's own line
     * @param message why
     */
    record Bad(int statementLine, String message) {}

    private final Map<Integer, List<Allow>> byStatementLine = new HashMap<>();
    private final List<Bad> bad = new ArrayList<>();

    private Allowances() {}

    /**
     * Reads the allow comments of a script.
     *
     * @param text the script's text
     * @param statements every statement of the script, refused ones included, in order
     * @param fileName the script's file name, for messages
     * @return the allowances
     */
    static Allowances of(String text, List<SqlStatement> statements, String fileName) {
        Allowances allowances = new Allowances();
        if (!text.contains("lockstep:allow")) {
            return allowances;
        }
        List<int[]> ranges = new ArrayList<>(); // start and end line of each statement
        for (SqlStatement statement : statements) {
            ranges.add(new int[] {statement.line(), statement.line() + lineBreaks(statement.sql())});
        }
        for (SqlComment comment : ScriptDialect.SQLITE.comments(text)) {
            int at = comment.text().indexOf("lockstep:allow");
            if (at < 0) {
                continue;
            }
            Matcher matcher = ALLOW.matcher(comment.text().substring(at).strip());
            if (!matcher.matches()) {
                continue;
            }
            int line = comment.line();
            Optional<Integer> statementLine = statementAt(ranges, line);
            int where = statementLine.orElse(line);
            String id = matcher.group(1);
            String reason =
                    matcher.group(2) == null ? "" : matcher.group(2).strip().replaceAll("\\s+", " ");
            if (statementLine.isEmpty()) {
                allowances.bad.add(new Bad(
                        where,
                        "Allow comment in [" + fileName + "] at line [" + line + "] stands before no statement"));
            } else if (id == null) {
                allowances.bad.add(
                        new Bad(where, "Allow comment in [" + fileName + "] at line [" + line + "] names no rule"));
            } else if (LintRule.byId(id).isEmpty()) {
                allowances.bad.add(new Bad(
                        where,
                        "Allow comment in [" + fileName + "] at line [" + line + "] names [" + id
                                + "], which is no rule"));
            } else if (reason.isEmpty()) {
                allowances.bad.add(new Bad(
                        where,
                        "Allow comment for [" + id + "] in [" + fileName + "] at line [" + line
                                + "] gives no reason, so it allows nothing"));
            } else if (LintRule.byId(id).get() == LintRule.NOT_TRANSACTIONAL) {
                allowances.bad.add(new Bad(
                        where,
                        "Allow comment for [" + id + "] in [" + fileName + "] at line [" + line
                                + "]: migrate refuses the statement whatever a comment says"));
            } else {
                allowances
                        .byStatementLine
                        .computeIfAbsent(where, k -> new ArrayList<>())
                        .add(new Allow(LintRule.byId(id).get(), reason));
            }
        }
        return allowances;
    }

    // The last statement whose lines hold the comment's line; else the first one after it.
    private static Optional<Integer> statementAt(List<int[]> ranges, int line) {
        Integer holding = null;
        for (int[] range : ranges) {
            if (range[0] <= line && line <= range[1]) {
                holding = range[0];
            }
        }
        if (holding != null) {
            return Optional.of(holding);
        }
        for (int[] range : ranges) {
            if (range[0] > line) {
                return Optional.of(range[0]);
            }
        }
        return Optional.empty();
    }

    private static int lineBreaks(String sql) {
        int breaks = 0;
        for (int k = 0; k < sql.length(); k++) {
            char c = sql.charAt(k);
            if (c == '\n' || c == '\r' && (k + 1 == sql.length() || sql.charAt(k + 1) != '\n')) {
                breaks++;
            }
        }
        return breaks;
    }

    /** Returns the reason the statement at {@code statementLine} is allowed to break {@code rule}, if it is. */
    Optional<String> reason(LintRule rule, int statementLine) {
        for (Allow allow : byStatementLine.getOrDefault(statementLine, List.of())) {
            if (allow.rule() == rule) {
                return Optional.of(allow.reason());
            }
        }
        return Optional.empty();
    }

    /** Returns the comments that cannot allow anything. */
    List<Bad> bad() {
        return bad;
    }
}
