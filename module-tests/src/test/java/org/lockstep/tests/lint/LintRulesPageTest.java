package org.lockstep.tests.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lockstep.LintFinding;
import org.lockstep.LintLevel;
import org.lockstep.LintOptions;
import org.lockstep.LintReport;
import org.lockstep.LintRule;

/**
 * The rules page (module-cli/lint-rules.md) documents every rule, and its examples are true:
 * each bad example fires its rule, each fixed one fires neither that rule nor any error.
 */
final class LintRulesPageTest {
    private static final Path PAGE = Path.of("..", "module-cli", "lint-rules.md");
    private static final Pattern BLOCK = Pattern.compile("```sql (base|bad|fixed)\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    /** A rule's section: its bad and fixed examples. */
    private record Section(String bad, String fixed) {}

    private static Map<String, Section> sections(String page) {
        Map<String, Section> sections = new LinkedHashMap<>();
        for (String part : page.split("\n### `")) {
            String id = part.substring(0, Math.max(0, part.indexOf('`')));
            String bad = null;
            String fixed = null;
            Matcher matcher = BLOCK.matcher(part);
            while (matcher.find()) {
                if (matcher.group(1).equals("bad")) {
                    bad = matcher.group(2);
                } else if (matcher.group(1).equals("fixed")) {
                    fixed = matcher.group(2);
                }
            }
            if (bad != null && fixed != null) {
                sections.put(id, new Section(bad, fixed));
            }
        }
        return sections;
    }

    private static String page() throws IOException {
        return Files.readString(PAGE, StandardCharsets.UTF_8);
    }

    private static String base(String page) {
        Matcher matcher = BLOCK.matcher(page);
        while (matcher.find()) {
            if (matcher.group(1).equals("base")) {
                return matcher.group(2);
            }
        }
        throw new AssertionError("the page has no base script");
    }

    @Test
    void everyRuleHasASectionWithABadAndAFixedExample() throws IOException {
        Map<String, Section> sections = sections(page());

        assertEquals(
                Arrays.stream(LintRule.values()).map(LintRule::id).sorted().toList(),
                sections.keySet().stream().sorted().toList());
    }

    @Test
    void everyBadExampleFiresItsRuleAndEveryFixedOneDoesNot() throws IOException {
        String page = page();
        String base = base(page);
        LintOptions options = LintOptions.defaults().withSqliteVersion("3.31");
        for (Map.Entry<String, Section> section : sections(page).entrySet()) {
            LintRule rule = LintRule.byId(section.getKey()).orElseThrow();
            LintReport bad = Histories.lint(
                    dir,
                    Histories.of(
                            "001_base.sql",
                            base,
                            "002_example.sql",
                            section.getValue().bad()),
                    options);
            LintReport fixed = Histories.lint(
                    dir,
                    Histories.of(
                            "001_base.sql",
                            base,
                            "002_example.sql",
                            section.getValue().fixed()),
                    options);

            assertTrue(rules(bad).contains(rule), () -> rule.id() + " bad: " + bad.findings());
            assertFalse(rules(fixed).contains(rule), () -> rule.id() + " fixed: " + fixed.findings());
            assertFalse(fixed.reaches(LintLevel.ERROR), () -> rule.id() + " fixed has an error: " + fixed.findings());
        }
    }

    private static List<LintRule> rules(LintReport report) {
        return report.active().stream().map(LintFinding::rule).collect(Collectors.toList());
    }
}
