package org.lockstep.cli;

import java.util.ArrayList;
import java.util.List;
import org.lockstep.AdoptResult;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseException;
import org.lockstep.InvalidScriptException;
import org.lockstep.LockTimeoutException;
import org.lockstep.MigrateResult;
import org.lockstep.MigrationFailedException;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationInterruptedException;
import org.lockstep.MigrationVersion;
import org.lockstep.PendingMigration;
import org.lockstep.ValidationFailedException;
import org.lockstep.ValidationProblem;

/** Renders results as text and JSON. */
final class Reports {
    private Reports() {}

    static String migrateText(String database, String target, MigrateResult result) {
        StringBuilder text = new StringBuilder();
        for (AppliedMigration applied : result.applied()) {
            text.append(String.format(
                    "Applied %s (%d ms)%n",
                    label(applied), applied.executionTime().toMillis()));
        }
        for (AppliedMigration other : result.appliedByOthers()) {
            text.append(String.format(
                    "Already applied %s by %s at %s%n", label(other), other.appliedBy(), other.appliedAt()));
        }
        for (MigrationInfo skipped : result.skipped()) {
            text.append(String.format(
                    "Not applied %s %s: below the highest applied version (out of order)%n",
                    skipped.name(), skipped.description()));
        }
        for (MigrationInfo future : result.future()) {
            text.append(String.format(
                    "Future %s %s: applied by a newer release, no script here%n", future.name(), future.description()));
        }
        if (!result.lockWait().isZero()) {
            text.append(String.format(
                    "Waited %d ms for the migration lock (%d attempts)%n",
                    result.lockWait().toMillis(), result.lockAttempts()));
        }
        String version = result.currentVersion().map(Object::toString).orElse("none")
                + (target == null ? "" : " (target " + target + ")");
        if (result.wasUpToDate()) {
            text.append(String.format("Database %s is up to date at version %s%n", database, version));
        } else {
            text.append(String.format(
                    "Database %s is at version %s: %d applied here, %d applied by others%n",
                    database,
                    version,
                    result.applied().size(),
                    result.appliedByOthers().size()));
        }
        return text.toString();
    }

    // A versioned migration by its version and description; a repeatable one as such.
    private static String label(AppliedMigration migration) {
        return migration
                .version()
                .map(v -> v + " " + migration.description())
                .orElse("repeatable " + migration.description());
    }

    // The version as JSON: null for a repeatable migration, which has none.
    private static String version(java.util.Optional<MigrationVersion> version) {
        return Json.string(version.map(MigrationVersion::toString).orElse(null));
    }

    // The version in a table's first column.
    private static String versionCell(java.util.Optional<MigrationVersion> version) {
        return version.map(MigrationVersion::toString).orElse(REPEATABLE);
    }

    private static final String REPEATABLE = "repeatable";

    private static String versionsJson(List<MigrationInfo> infos) {
        return infos.stream()
                .map(i -> "{\"version\":" + version(i.version()) + ",\"script\":" + Json.string(i.script()) + "}")
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    static String migrateJson(String database, String target, MigrateResult result) {
        return "{\"database\":" + Json.string(database)
                + (target == null ? "" : ",\"target\":" + Json.string(target))
                + ",\"currentVersion\":"
                + Json.string(result.currentVersion().map(Object::toString).orElse(null))
                + ",\"applied\":" + appliedJson(result.applied())
                + ",\"appliedByOthers\":" + appliedJson(result.appliedByOthers())
                + ",\"skipped\":" + versionsJson(result.skipped())
                + ",\"future\":" + versionsJson(result.future())
                + ",\"lockWaitMillis\":" + result.lockWait().toMillis()
                + ",\"lockAttempts\":" + result.lockAttempts() + "}";
    }

    static String dryRunText(String database, List<PendingMigration> plan) {
        if (plan.isEmpty()) {
            return String.format("Dry run: database %s is up to date; nothing would be applied%n", database);
        }
        StringBuilder text = new StringBuilder(String.format(
                "Dry run: %d migration%s would be applied to %s%n",
                plan.size(), plan.size() == 1 ? "" : "s", database));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Version", "Description", "Script", "Statements"});
        for (PendingMigration pending : plan) {
            rows.add(new String[] {
                versionCell(pending.version()),
                pending.description(),
                pending.script(),
                Integer.toString(pending.statements())
            });
        }
        text.append(table(rows, "  "));
        return text.append("Nothing was changed.")
                .append(System.lineSeparator())
                .toString();
    }

    static String dryRunJson(String database, List<PendingMigration> plan) {
        List<String> items = new ArrayList<>();
        for (PendingMigration pending : plan) {
            items.add("{\"version\":" + version(pending.version())
                    + ",\"description\":" + Json.string(pending.description())
                    + ",\"script\":" + Json.string(pending.script())
                    + ",\"statements\":" + pending.statements() + "}");
        }
        return "{\"database\":" + Json.string(database) + ",\"dryRun\":true,\"pending\":[" + String.join(",", items)
                + "]}";
    }

    static String baselineText(String database, MigrationVersion version, MigrateResult result) {
        StringBuilder text = new StringBuilder();
        for (AppliedMigration recorded : result.applied()) {
            text.append(String.format("Recorded %s as applied (baseline; not run)%n", label(recorded)));
        }
        return text.append(String.format(
                        "Database %s is baselined at version %s: %d recorded%n",
                        database, version, result.applied().size()))
                .toString();
    }

    static String baselineJson(String database, MigrationVersion version, MigrateResult result) {
        return "{\"database\":" + Json.string(database) + ",\"baseline\":" + Json.string(version.toString())
                + ",\"recorded\":" + appliedJson(result.applied()) + "}";
    }

    static String adoptText(String database, AdoptResult result) {
        StringBuilder text = new StringBuilder();
        String verb = result.dryRun() ? "Would record" : "Recorded";
        for (AppliedMigration adopted : result.adopted()) {
            text.append(String.format(
                    "%s %s as applied (%s at %s)%n", verb, label(adopted), adopted.appliedBy(), adopted.appliedAt()));
        }
        for (AppliedMigration known : result.alreadyRecorded()) {
            text.append(String.format("Already recorded %s (%s)%n", label(known), known.appliedBy()));
        }
        for (AdoptResult.NotAdopted skipped : result.notAdopted()) {
            text.append(String.format(
                    "Not recorded %s%s: %s%n",
                    skipped.version().isEmpty() ? "" : skipped.version() + " ", skipped.script(), skipped.reason()));
        }
        text.append(String.format(
                "%s %s from %s's history %s: %d %s, %d recorded before; %s%n",
                result.dryRun() ? "Dry run: would adopt into" : "Adopted into",
                database,
                result.tool(),
                result.table(),
                result.adopted().size(),
                result.dryRun() ? "would be recorded" : "recorded",
                result.alreadyRecorded().size(),
                result.checksumsVerified()
                        ? "each file verified against " + result.tool() + "'s checksum"
                        : result.tool() + " keeps no checksums, so the files were matched by version only"));
        if (result.dryRun()) {
            text.append("Nothing was changed.").append(System.lineSeparator());
        }
        return text.toString();
    }

    static String adoptJson(String database, AdoptResult result) {
        List<String> skipped = new ArrayList<>();
        for (AdoptResult.NotAdopted row : result.notAdopted()) {
            skipped.add("{\"version\":" + Json.string(row.version()) + ",\"script\":" + Json.string(row.script())
                    + ",\"reason\":" + Json.string(row.reason()) + "}");
        }
        return "{\"database\":" + Json.string(database) + ",\"tool\":"
                + Json.string(result.tool().toString())
                + ",\"table\":" + Json.string(result.table()) + ",\"dryRun\":" + result.dryRun()
                + ",\"checksumsVerified\":" + result.checksumsVerified()
                + ",\"adopted\":" + appliedJson(result.adopted())
                + ",\"alreadyRecorded\":" + appliedJson(result.alreadyRecorded())
                + ",\"notAdopted\":[" + String.join(",", skipped) + "]}";
    }

    private static String appliedJson(List<AppliedMigration> migrations) {
        List<String> items = new ArrayList<>();
        for (AppliedMigration m : migrations) {
            items.add("{\"version\":" + version(m.version())
                    + ",\"description\":" + Json.string(m.description())
                    + ",\"script\":" + Json.string(m.script())
                    + ",\"appliedAt\":" + Json.string(m.appliedAt().toString())
                    + ",\"appliedBy\":" + Json.string(m.appliedBy())
                    + ",\"executionMillis\":" + m.executionTime().toMillis() + "}");
        }
        return "[" + String.join(",", items) + "]";
    }

    /**
     * The error object every command prints on stdout with {@code --json} when it fails:
     * {@code {"error":{"command":..,"exitCode":..,"kind":..,"message":..,...}}}, plus the
     * failure's own fields: {@code migration_failed} (version, script, line, statement, sqlState,
     * errorCode), {@code lock_timeout} (waitedMillis, attempts), {@code interrupted}
     * (waitedMillis), {@code validation_failed} (problems: state, version, script, message),
     * {@code invalid_script} (script), {@code database} (reason); {@code usage} and
     * {@code environment} have none.
     */
    static String errorJson(String command, ExitCode code, Exception failure) {
        StringBuilder fields = new StringBuilder();
        String kind;
        if (failure instanceof MigrationFailedException migration) {
            kind = "migration_failed";
            fields.append(",\"version\":")
                    .append(version(migration.version()))
                    .append(",\"script\":")
                    .append(Json.string(migration.script()))
                    .append(",\"line\":")
                    .append(migration.line())
                    .append(",\"statement\":")
                    .append(Json.string(migration.statementExcerpt()))
                    .append(",\"sqlState\":")
                    .append(Json.string(migration.sqlState().isEmpty() ? null : migration.sqlState()))
                    .append(",\"errorCode\":")
                    .append(migration.errorCode())
                    .append(",\"failedFirstBy\":")
                    .append(Json.string(migration.failedFirstBy().orElse(null)));
        } else if (failure instanceof LockTimeoutException timeout) {
            kind = "lock_timeout";
            fields.append(",\"waitedFor\":")
                    .append(Json.string(timeout.waitedFor().name()))
                    .append(",\"waitedMillis\":")
                    .append(timeout.waited().toMillis())
                    .append(",\"attempts\":")
                    .append(timeout.attempts());
            timeout.holder()
                    .ifPresent(holder -> fields.append(",\"holder\":{\"pid\":")
                            .append(holder.pid())
                            .append(",\"description\":")
                            .append(Json.string(holder.description()))
                            .append(",\"state\":")
                            .append(Json.string(holder.state()))
                            .append('}'));
        } else if (failure instanceof MigrationInterruptedException interrupted) {
            kind = "interrupted";
            fields.append(",\"waitedMillis\":")
                    .append(interrupted.waited().toMillis())
                    .append(",\"stage\":")
                    .append(Json.string(interrupted.stage().name()))
                    .append(",\"cancelled\":")
                    .append(interrupted.cancelled());
        } else if (failure instanceof ValidationFailedException validation) {
            kind = "validation_failed";
            List<String> problems = new ArrayList<>();
            for (ValidationProblem problem : validation.problems()) {
                problems.add("{\"state\":" + Json.string(problem.kind().name())
                        + ",\"version\":" + version(problem.version())
                        + ",\"script\":" + Json.string(problem.script())
                        + ",\"message\":" + Json.string(problem.message()) + "}");
            }
            fields.append(",\"problems\":[").append(String.join(",", problems)).append(']');
        } else if (failure instanceof InvalidScriptException script) {
            kind = "invalid_script";
            fields.append(",\"source\":").append(Json.string(script.source()));
        } else if (failure instanceof DatabaseException database) {
            kind = code == ExitCode.ENVIRONMENT ? "environment" : "database";
            fields.append(",\"reason\":").append(Json.string(database.reason().name()));
        } else if (failure instanceof EnvironmentException) {
            kind = "environment";
        } else if (failure instanceof UsageException) {
            kind = "usage";
        } else {
            kind = "internal";
        }
        return "{\"error\":{\"command\":" + Json.string(command) + ",\"exitCode\":" + code.code
                + ",\"kind\":" + Json.string(kind) + ",\"message\":" + Json.string(failure.getMessage())
                + fields + "}}";
    }

    static String statusJson(List<MigrationInfo> infos) {
        List<String> items = new ArrayList<>();
        for (MigrationInfo info : infos) {
            items.add("{\"version\":" + version(info.version())
                    + ",\"description\":" + Json.string(info.description())
                    + ",\"script\":" + Json.string(info.script())
                    + ",\"state\":" + Json.string(info.state().name())
                    + ",\"appliedAt\":"
                    + Json.string(
                            info.applied().map(a -> a.appliedAt().toString()).orElse(null))
                    + ",\"appliedBy\":"
                    + Json.string(
                            info.applied().map(AppliedMigration::appliedBy).orElse(null))
                    + "}");
        }
        return "{\"migrations\":[" + String.join(",", items) + "]}";
    }

    static String statusTable(List<MigrationInfo> infos) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Version", "Description", "Script", "State", "Applied at", "Applied by"});
        for (MigrationInfo info : infos) {
            rows.add(new String[] {
                versionCell(info.version()),
                info.description(),
                info.script(),
                info.state().name(),
                info.applied().map(a -> a.appliedAt().toString()).orElse(""),
                info.applied().map(AppliedMigration::appliedBy).orElse("")
            });
        }
        StringBuilder text = new StringBuilder(table(rows, ""));
        if (infos.isEmpty()) {
            text.append("(no migrations)").append(System.lineSeparator());
        }
        return text.toString();
    }

    /**
     * Lays rows out in columns as wide as their widest cell, each line indented. Cells are
     * escaped first, as {@link EscapingWriter} would show them, so the columns stay aligned.
     */
    static String table(List<String[]> cells, String indent) {
        List<String[]> rows = new ArrayList<>();
        for (String[] row : cells) {
            String[] escaped = new String[row.length];
            for (int i = 0; i < row.length; i++) {
                escaped[i] = EscapingWriter.escape(row[i]);
            }
            rows.add(escaped);
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            text.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return text.toString();
    }
}
