package org.lockstep.internal.lint;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.lockstep.DatabaseException;
import org.lockstep.LintFinding;
import org.lockstep.LintReport;
import org.lockstep.LintRule;
import org.lockstep.MigrationInfo;
import org.lockstep.MigrationState;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.protocol.Plan;
import org.lockstep.internal.schema.Schema;
import org.lockstep.internal.schema.SchemaReader;
import org.lockstep.internal.schema.ScratchDatabase;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptLoader;
import org.lockstep.internal.sql.Names;
import org.lockstep.internal.sql.ScriptDialect;
import org.lockstep.internal.sql.SqlStatement;
import org.lockstep.internal.sql.SqlToken;

/**
 * Replays scripts into a scratch database and reviews each reported one (see the package
 * comment). The cost is the replay plus, per script that changes the schema, one read of
 * {@code sqlite_schema} and of the tables it changed.
 */
public final class Linter {
    private Linter() {}

    /**
     * Lints scripts.
     *
     * @param scripts every script, in version order
     * @param reported which versions to report on; the others are only replayed
     * @param sqliteVersion the oldest SQLite deployed to, or empty for the driver's
     * @param historyTable the history table's name, left out of the schema
     * @return the report
     * @throws DatabaseException if no SQLite driver is there, or the scratch database fails
     */
    public static LintReport lint(
            List<ScriptLoader.Lintable> scripts,
            Predicate<MigrationVersion> reported,
            Optional<String> sqliteVersion,
            String historyTable) {
        try (ScratchDatabase scratch = ScratchDatabase.open("Lint")) {
            String driverVersion = scratch.sqliteVersion();
            SqliteVersion oldest = SqliteVersion.parse(sqliteVersion.orElse(driverVersion));
            SchemaReader reader = new SchemaReader(scratch.connection(), Set.of(historyTable));
            Schema current = Schema.EMPTY;
            int schemaVersion = scratch.schemaVersion();
            List<LintFinding> findings = new ArrayList<>();
            int reportedCount = 0;
            for (ScriptLoader.Lintable lintable : scripts) {
                MigrationScript script = lintable.script();
                boolean report = reported.test(script.version());
                List<Event> events = new ArrayList<>();
                for (SqlStatement statement : script.statements()) {
                    String error = null;
                    try {
                        scratch.run(statement.sql());
                    } catch (SQLException e) {
                        error = e.getMessage();
                    }
                    events.add(new Event(statement, Shape.of(ScriptDialect.SQLITE.tokens(statement.sql())), error));
                }
                int version = scratch.schemaVersion();
                Schema after = current;
                if (version != schemaVersion) {
                    Optional<SchemaReader.Changes> changes = changes(events);
                    after = changes.isPresent() ? reader.read(changes.get()) : reader.read();
                }
                schemaVersion = version;
                if (report) {
                    reportedCount++;
                    List<Draft> drafts = new ArrayList<>();
                    for (ScriptLoader.Refusal refusal : lintable.refused()) {
                        drafts.add(new Draft(
                                LintRule.NOT_TRANSACTIONAL, refusal.statement().line(), refusal.message()));
                    }
                    drafts.addAll(new ScriptReview(current, after, events, script.fileName(), oldest).review());
                    findings.addAll(findings(lintable, drafts));
                }
                current = after;
            }
            return new LintReport(findings, reportedCount, scripts.size(), oldest.toString(), driverVersion);
        } catch (SQLException e) {
            throw new DatabaseException(
                    DatabaseException.Reason.OTHER,
                    "Lint failed reading its in-memory SQLite database: " + e.getMessage(),
                    e);
        }
    }

    /**
     * Returns which scripts a database has not applied: pending ones, and ones below its highest
     * applied version (out of order), which a migrate with out-of-order allowed would apply.
     *
     * @param scripts the scripts
     * @param history the database's history
     * @return whether a version is pending there
     */
    public static Predicate<MigrationVersion> pending(List<ScriptLoader.Lintable> scripts, HistorySnapshot history) {
        Set<MigrationVersion> pending = new HashSet<>();
        Plan plan = Plan.of(scripts.stream().map(ScriptLoader.Lintable::script).toList(), history, true);
        for (MigrationInfo info : plan.infos()) {
            // A repeatable script (no version) counts as pending while any is new or changed.
            if (info.state() == MigrationState.PENDING
                    || info.state() == MigrationState.OUT_OF_ORDER
                    || info.state() == MigrationState.OUTDATED) {
                pending.add(info.version().orElse(null));
            }
        }
        return pending::contains;
    }

    /**
     * Returns what the statements may have changed in the schema, by the names they name; empty
     * when a statement may change it in a way the names do not say (DDL of a shape not read, a
     * PRAGMA, ANALYZE), which needs a full read.
     */
    static Optional<SchemaReader.Changes> changes(List<Event> events) {
        Set<String> names = new HashSet<>();
        Set<String> mentioned = new HashSet<>();
        Set<String> prefixes = new HashSet<>();
        for (Event event : events) {
            Shape shape = event.shape();
            if (shape.name() == null
                    && shape.verb() != Shape.Verb.OTHER
                    && shape.verb() != Shape.Verb.INSERT
                    && shape.verb() != Shape.Verb.UPDATE) {
                return Optional.empty(); // a definition whose name was not read (it failed, as `DROP INDEX;` does)
            }
            switch (shape.verb()) {
                case CREATE_TABLE:
                case DROP_TABLE:
                    names.add(Names.key(shape.name()));
                    prefixes.add(Names.key(shape.name()) + "_");
                    break;
                case CREATE_INDEX:
                case CREATE_TRIGGER:
                case CREATE_VIEW:
                case DROP_INDEX:
                case DROP_TRIGGER:
                case DROP_VIEW:
                case ADD_COLUMN:
                    names.add(Names.key(shape.name()));
                    if (shape.on() != null) {
                        names.add(Names.key(shape.on()));
                    }
                    break;
                case RENAME_TABLE:
                    // SQLite rewrites every mention of the table in other objects, and moves its
                    // indexes and triggers (and a virtual table's shadow tables) to the new name.
                    for (String name : new String[] {shape.name(), shape.on()}) {
                        if (name != null) {
                            names.add(Names.key(name));
                            mentioned.add(Names.key(name));
                            prefixes.add(Names.key(name) + "_");
                        }
                    }
                    break;
                case RENAME_COLUMN:
                case DROP_COLUMN:
                    names.add(Names.key(shape.name()));
                    mentioned.add(Names.key(shape.name()));
                    break;
                case INSERT:
                case UPDATE:
                    break;
                default:
                    List<SqlToken> tokens = shape.tokens();
                    if (!tokens.isEmpty()
                            && (tokens.get(0).is("CREATE")
                                    || tokens.get(0).is("DROP")
                                    || tokens.get(0).is("ALTER")
                                    || tokens.get(0).is("PRAGMA")
                                    || tokens.get(0).is("ANALYZE")
                                    || tokens.get(0).is("REINDEX"))) {
                        return Optional.empty();
                    }
            }
        }
        return Optional.of(new SchemaReader.Changes(names, mentioned, prefixes));
    }

    private static List<LintFinding> findings(ScriptLoader.Lintable lintable, List<Draft> drafts) {
        MigrationScript script = lintable.script();
        List<SqlStatement> statements = new ArrayList<>(script.statements());
        lintable.refused().forEach(refusal -> statements.add(refusal.statement()));
        statements.sort(Comparator.comparingInt(SqlStatement::line));
        Allowances allowances = Allowances.of(lintable.text(), statements, script.fileName());
        List<Draft> all = new ArrayList<>(drafts);
        for (Allowances.Bad bad : allowances.bad()) {
            all.add(new Draft(LintRule.BAD_ALLOW, bad.statementLine(), bad.message()));
        }
        all.sort(Comparator.comparingInt(Draft::line).thenComparing(Draft::rule));
        List<LintFinding> findings = new ArrayList<>();
        for (Draft draft : all) {
            Optional<String> reason = draft.rule() == LintRule.NOT_TRANSACTIONAL || draft.rule() == LintRule.BAD_ALLOW
                    ? Optional.empty()
                    : allowances.reason(draft.rule(), draft.line());
            if (findings.stream()
                    .anyMatch(f -> f.rule() == draft.rule()
                            && f.line() == draft.line()
                            && f.message().equals(draft.message()))) {
                continue;
            }
            findings.add(new LintFinding(
                    draft.rule(),
                    script.version(),
                    script.fileName(),
                    script.source(),
                    draft.line(),
                    draft.message(),
                    reason));
        }
        return findings;
    }
}
