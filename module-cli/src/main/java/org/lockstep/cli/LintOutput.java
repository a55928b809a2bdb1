package org.lockstep.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lockstep.DriftReport;
import org.lockstep.LintFinding;
import org.lockstep.LintLevel;
import org.lockstep.LintReport;
import org.lockstep.LintRule;
import org.lockstep.SchemaDifference;

/** Renders lint and drift reports: text, JSON, and SARIF 2.1.0 for lint. */
final class LintOutput {
    /** Where SARIF 2.1.0's schema is published (OASIS, with errata 01). */
    static final String SARIF_SCHEMA =
            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

    private LintOutput() {}

    /**
     * One finding per block: {@code SOURCE:LINE: LEVEL [RULE] MESSAGE} and its hint, then a
     * summary line. Allowed findings, with their reasons, only when {@code verbose}.
     */
    static String text(LintReport report, LintLevel failOn, boolean verbose) {
        StringBuilder text = new StringBuilder();
        int errors = 0;
        int warnings = 0;
        int allowed = 0;
        for (LintFinding finding : report.findings()) {
            if (finding.allowed()) {
                allowed++;
                if (verbose) {
                    text.append(String.format(
                            "%s:%d: allowed %s [%s] %s%n    reason: %s%n",
                            finding.source(),
                            finding.line(),
                            level(finding.level()),
                            finding.rule().id(),
                            finding.message(),
                            finding.allowedBecause().get()));
                }
                continue;
            }
            if (finding.level() == LintLevel.ERROR) {
                errors++;
            } else {
                warnings++;
            }
            text.append(String.format(
                    "%s:%d: %s [%s] %s%n    hint: %s%n",
                    finding.source(),
                    finding.line(),
                    level(finding.level()),
                    finding.rule().id(),
                    finding.message(),
                    finding.rule().hint()));
        }
        text.append(String.format(
                "Lint: %d script%s checked (%d replayed) for SQLite %s and later: %d error%s, %d warning%s, %d allowed%s%n",
                report.scriptsReported(),
                report.scriptsReported() == 1 ? "" : "s",
                report.scriptsReplayed(),
                report.sqliteVersion(),
                errors,
                errors == 1 ? "" : "s",
                warnings,
                warnings == 1 ? "" : "s",
                allowed,
                allowed > 0 && !verbose ? " (--verbose shows them)" : ""));
        if (report.reaches(failOn)) {
            text.append("Lint failed: a finding is at or above --fail-on ")
                    .append(level(failOn))
                    .append(System.lineSeparator());
        }
        return text.toString();
    }

    private static String level(LintLevel level) {
        return level.name().toLowerCase(Locale.ROOT);
    }

    /** The report as one JSON object. */
    static String json(LintReport report, LintLevel failOn, boolean failed) {
        List<String> findings = new ArrayList<>();
        for (LintFinding finding : report.findings()) {
            findings.add("{\"rule\":" + Json.string(finding.rule().id())
                    + ",\"level\":" + Json.string(level(finding.level()))
                    + ",\"version\":" + Json.string(finding.version().toString())
                    + ",\"script\":" + Json.string(finding.script())
                    + ",\"source\":" + Json.string(finding.source())
                    + ",\"line\":" + finding.line()
                    + ",\"message\":" + Json.string(finding.message())
                    + ",\"hint\":" + Json.string(finding.rule().hint())
                    + ",\"allowed\":" + finding.allowed()
                    + ",\"reason\":" + Json.string(finding.allowedBecause().orElse(null)) + "}");
        }
        return "{\"scriptsReported\":" + report.scriptsReported()
                + ",\"scriptsReplayed\":" + report.scriptsReplayed()
                + ",\"sqliteVersion\":" + Json.string(report.sqliteVersion())
                + ",\"driverSqliteVersion\":" + Json.string(report.driverSqliteVersion())
                + ",\"failOn\":" + Json.string(level(failOn))
                + ",\"failed\":" + failed
                + ",\"findings\":[" + String.join(",", findings) + "]}";
    }

    /**
     * The report as a SARIF 2.1.0 log: one run whose tool lists every rule (id, summary, hint,
     * default level), and one result per finding, located at its script's line; an allowed
     * finding carries an in-source suppression with its reason.
     */
    static String sarif(LintReport report, String version) {
        List<String> rules = new ArrayList<>();
        for (LintRule rule : LintRule.values()) {
            rules.add("{\"id\":" + Json.string(rule.id())
                    + ",\"name\":" + Json.string(camel(rule.id()))
                    + ",\"shortDescription\":{\"text\":" + Json.string(rule.summary()) + "}"
                    + ",\"fullDescription\":{\"text\":" + Json.string(rule.summary()) + "}"
                    + ",\"help\":{\"text\":" + Json.string(rule.hint()) + "}"
                    + ",\"defaultConfiguration\":{\"level\":" + Json.string(level(rule.level())) + "}}");
        }
        List<String> results = new ArrayList<>();
        for (LintFinding finding : report.findings()) {
            results.add("{\"ruleId\":" + Json.string(finding.rule().id())
                    + ",\"ruleIndex\":" + finding.rule().ordinal()
                    + ",\"level\":" + Json.string(level(finding.level()))
                    + ",\"message\":{\"text\":" + Json.string(finding.message()) + "}"
                    + ",\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":"
                    + Json.string(uri(finding.source())) + "},\"region\":{\"startLine\":" + Math.max(1, finding.line())
                    + "}}}]"
                    + finding.allowedBecause()
                            .map(reason -> ",\"suppressions\":[{\"kind\":\"inSource\",\"justification\":"
                                    + Json.string(reason) + "}]")
                            .orElse("")
                    + "}");
        }
        return "{\"$schema\":" + Json.string(SARIF_SCHEMA)
                + ",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"lockstep\",\"version\":"
                + Json.string(version) + ",\"rules\":[" + String.join(",", rules) + "]}}"
                + ",\"columnKind\":\"utf16CodeUnits\""
                + ",\"results\":[" + String.join(",", results) + "]}]}";
    }

    // rebuild-loses-index -> RebuildLosesIndex, SARIF's advice for a rule's name.
    private static String camel(String id) {
        StringBuilder name = new StringBuilder();
        for (String part : id.split("-")) {
            name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return name.toString();
    }

    // A script's source as a URI reference: a relative path as it is (forward slashes, escaped),
    // so that CI systems resolve it against the checkout; an absolute path as a file: URI.
    static String uri(String source) {
        try {
            Path path = Path.of(source);
            if (path.isAbsolute()) {
                return path.toUri().toASCIIString();
            }
            return new URI(null, null, source.replace('\\', '/'), null).toASCIIString();
        } catch (InvalidPathException | URISyntaxException e) {
            return source.replace(" ", "%20");
        }
    }

    /** The drift report as one JSON object. */
    static String driftJson(DriftReport report) {
        List<String> differences = new ArrayList<>();
        for (SchemaDifference difference : report.differences()) {
            differences.add("{\"kind\":" + Json.string(difference.kind().name())
                    + ",\"type\":" + Json.string(difference.type())
                    + ",\"name\":" + Json.string(difference.name())
                    + ",\"detail\":" + Json.string(difference.detail())
                    + ",\"message\":" + Json.string(difference.message()) + "}");
        }
        List<String> replayed = report.replayed().stream()
                .map(version -> Json.string(version.toString()))
                .toList();
        return "{\"database\":" + Json.string(report.database())
                + ",\"matches\":" + report.matches()
                + ",\"replayed\":[" + String.join(",", replayed) + "]"
                + ",\"differences\":[" + String.join(",", differences) + "]}";
    }
}
