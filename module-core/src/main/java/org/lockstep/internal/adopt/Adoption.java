package org.lockstep.internal.adopt;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.lockstep.AdoptFrom;
import org.lockstep.AdoptResult;
import org.lockstep.AppliedMigration;
import org.lockstep.DatabaseException;
import org.lockstep.InvalidScriptException;
import org.lockstep.MigrationState;
import org.lockstep.MigrationTool;
import org.lockstep.MigrationVersion;
import org.lockstep.ValidationFailedException;
import org.lockstep.ValidationProblem;
import org.lockstep.internal.history.ForeignShape;
import org.lockstep.internal.history.ForeignTable;
import org.lockstep.internal.history.HistoryRow;
import org.lockstep.internal.history.HistorySnapshot;
import org.lockstep.internal.protocol.LockedWork;
import org.lockstep.internal.protocol.Session;
import org.lockstep.internal.script.MigrationScript;
import org.lockstep.internal.script.ScriptText;

/**
 * Adopts another tool's history, holding the migration lock, in its transaction
 * ({@link org.lockstep.internal.protocol.MigrationProtocol#underLock}):
 *
 * <ol>
 *   <li>read the candidate tables and recognise whose history each is by its columns
 *       ({@link ForeignShape}); refuse when there is none, more than one, or the one found holds
 *       the name of Lockstep's history table;
 *   <li>read Lockstep's history under the lock, so a concurrent adoption or migration is seen;
 *   <li>read what the tool says is applied ({@link ForeignHistory}), refusing a failed or
 *       unfinished migration;
 *   <li>hold every applied version the history does not yet have against the local scripts: a
 *       version without a script, or a script whose file is not what the tool's checksum
 *       says, fails validation naming the file;
 *   <li>insert a row per new version (creating the history table if needed) and commit; in a
 *       dry run, or with nothing new, roll back.
 * </ol>
 *
 * <p>Everything is decided from reads inside the one locked transaction, so two adoptions at
 * once record each version once, and an adoption run again records nothing (idempotent). The
 * other tool's table is only read.
 */
public final class Adoption implements LockedWork<AdoptResult> {
    private static final Logger LOG = System.getLogger(Adoption.class.getName());
    private static final List<ForeignHistory> HISTORIES = List.of(
            new FlywayHistory(),
            new SqlxHistory(),
            new GooseHistory(),
            new GolangMigrateHistory(),
            new DbmateHistory());

    private final AdoptFrom from;
    private final String historyTable;
    private final String database;
    private final NavigableMap<MigrationVersion, LocalScript> local;
    private final Clock clock;
    private final String owner;
    private final boolean dryRun;

    /**
     * Prepares an adoption.
     *
     * @param from where to look for the other tool's history
     * @param historyTable the name of Lockstep's history table
     * @param database the database, for messages
     * @param scripts the local scripts, parsed
     * @param bytes the local scripts' files, by version
     * @param clock stamps rows the tool gives no time for
     * @param owner who adopts, for rows the tool gives nobody for
     * @param dryRun whether to write nothing
     * @throws InvalidScriptException if a script changed between its parse and the read of its bytes
     */
    public Adoption(
            AdoptFrom from,
            String historyTable,
            String database,
            List<MigrationScript> scripts,
            Map<MigrationVersion, byte[]> bytes,
            Clock clock,
            String owner,
            boolean dryRun) {
        this.from = from;
        this.historyTable = historyTable;
        this.database = database;
        this.local = new TreeMap<>();
        for (MigrationScript script : scripts) {
            if (script.repeatable() || script.java()) {
                continue; // the other tools' histories are matched with versioned scripts
            }
            byte[] file = bytes.get(script.version());
            String text;
            try {
                text = file == null ? null : ScriptText.decode(file);
            } catch (ScriptText.MalformedException e) {
                text = null;
            }
            if (text == null || !ScriptText.checksum(text).equals(script.checksum())) {
                throw new InvalidScriptException(
                        script.source(),
                        "Script [" + script.source() + "] changed while it was being adopted; run adopt again",
                        null);
            }
            local.put(script.version(), new LocalScript(script, file, text));
        }
        this.clock = clock;
        this.owner = owner;
        this.dryRun = dryRun;
    }

    /** A table found and the tool whose history it holds. */
    private record Found(ForeignTable table, ForeignHistory history) {}

    @Override
    public Outcome<AdoptResult> run(Session session) throws SQLException {
        Found found = find(session);
        HistorySnapshot history = session.readHistory();
        Reading reading = found.history().read(found.table(), local, database);
        MigrationTool tool = found.history().tool();

        Map<MigrationVersion, HistoryRow> recorded = new HashMap<>();
        for (HistoryRow row : history.rows()) {
            if (!row.repeatable()) {
                recorded.put(row.version(), row);
            }
        }
        List<ValidationProblem> problems = new ArrayList<>();
        List<AppliedMigration> already = new ArrayList<>();
        List<HistoryRow> rows = new ArrayList<>();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        for (Claim claim : reading.claims()) {
            HistoryRow mine = recorded.get(claim.version());
            if (mine != null) {
                already.add(mine.toApplied());
                continue;
            }
            LocalScript script = local.get(claim.version());
            if (script == null) {
                problems.add(new ValidationProblem(
                        MigrationState.MISSING_SCRIPT,
                        Optional.of(claim.version()),
                        claim.toolScript(),
                        "Migration [" + claim.version() + "] was applied by " + tool + " from [" + claim.toolScript()
                                + "] but no script here has that version: give the folder " + tool
                                + " migrated from, or add a script of that version (adoption records it, never runs"
                                + " it)"));
                continue;
            }
            Optional<String> mismatch = claim.check().flatMap(check -> check.mismatch(script));
            if (mismatch.isPresent()) {
                problems.add(new ValidationProblem(
                        MigrationState.CHECKSUM_MISMATCH,
                        Optional.of(claim.version()),
                        script.script().fileName(),
                        "Migration [" + claim.version() + "] in ["
                                + script.script().fileName()
                                + "] is not the script " + tool + " applied (" + mismatch.get()
                                + "): put the file back as it was applied, then adopt"));
                continue;
            }
            rows.add(row(tool, claim, script.script(), now));
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparing(problem -> problem.version().orElseThrow()));
            throw new ValidationFailedException(problems);
        }
        rows.sort(Comparator.comparing(HistoryRow::version));
        already.sort(Comparator.comparing(applied -> applied.version().orElseThrow()));
        boolean write = !dryRun && !rows.isEmpty();
        if (write) {
            if (!history.tableExists()) {
                session.createHistoryTable();
            }
            for (HistoryRow row : rows) {
                session.insertHistory(row);
            }
        }
        AdoptResult result = new AdoptResult(
                tool,
                found.table().shownName(),
                rows.stream().map(HistoryRow::toApplied).toList(),
                already,
                reading.notAdopted(),
                tool.recordsChecksums(),
                dryRun);
        if (write) {
            LOG.log(
                    Level.INFO,
                    () -> "Adopted [" + rows.size() + "] migrations from " + tool + "'s history ["
                            + found.table().shownName() + "] into [" + database + "]; [" + already.size()
                            + "] were recorded before");
        }
        return new Outcome<>(result, write);
    }

    private Found find(Session session) throws SQLException {
        List<String> names = from.table()
                .map(List::of)
                .orElseGet(() -> from.tool()
                        .map(tool -> List.of(tool.defaultTable()))
                        .orElseGet(() -> List.copyOf(new LinkedHashSet<>(Stream.of(MigrationTool.values())
                                .map(MigrationTool::defaultTable)
                                .toList()))));
        List<ForeignTable> tables = session.readForeignTables(names);
        List<Found> found = new ArrayList<>();
        for (ForeignTable table : tables) {
            Optional<MigrationTool> shape = ForeignShape.of(table.columns());
            if (shape.isPresent() && from.tool().map(shape.get()::equals).orElse(true)) {
                for (ForeignHistory history : HISTORIES) {
                    if (history.tool() == shape.get()
                            && (from.table().isPresent()
                                    || table.name()
                                            .equalsIgnoreCase(history.tool().defaultTable()))) {
                        found.add(new Found(table, history));
                    }
                }
            }
        }
        if (found.isEmpty()) {
            throw refused(nothingFound(tables));
        }
        if (found.size() > 1) {
            throw refused("it holds the histories of "
                    + found.stream()
                            .map(f -> f.history().tool() + " [" + f.table().shownName() + "]")
                            .toList()
                    + "; say which to adopt (--from TOOL)");
        }
        Found only = found.get(0);
        if (only.table().name().equalsIgnoreCase(historyTable)) {
            throw refused("table [" + only.table().shownName() + "] has the name of Lockstep's history table. "
                    + ForeignShape.adoptInstead(only.history().tool()));
        }
        return only;
    }

    private String nothingFound(List<ForeignTable> tables) {
        String tool = from.tool().map(MigrationTool::toString).orElse("flyway, sqlx, goose, golang-migrate or dbmate");
        if (from.tool().isPresent() && !tables.isEmpty()) {
            ForeignTable table = tables.get(0);
            return "table [" + table.shownName() + "] has columns " + table.columns() + ", which are not those of "
                    + tool + "'s history";
        }
        List<String> looked = from.table()
                .map(List::of)
                .orElseGet(() -> from.tool()
                        .map(t -> List.of(t.defaultTable()))
                        .orElseGet(() -> Stream.of(MigrationTool.values())
                                .map(MigrationTool::defaultTable)
                                .distinct()
                                .toList()));
        return "it holds no history of " + tool + " (looked for tables " + looked + " with that tool's columns);"
                + " if the tool was told to keep it under another name, give the tool and the table (--from TOOL"
                + " --from-table NAME)";
    }

    private DatabaseException refused(String problem) {
        return new DatabaseException(
                DatabaseException.Reason.ADOPTION_REFUSED,
                "Adoption into [" + database + "] refused: " + problem + "; nothing was written",
                null);
    }

    private HistoryRow row(MigrationTool tool, Claim claim, MigrationScript script, Instant now) {
        String by = claim.appliedBy()
                .map(who -> "adopted from " + tool + " (by " + who + ")")
                .orElse("adopted from " + tool + " by " + owner);
        Instant at =
                claim.appliedAt().map(t -> t.truncatedTo(ChronoUnit.MILLIS)).orElse(now);
        return new HistoryRow(
                script.version(),
                script.description(),
                script.fileName(),
                script.checksum(),
                at,
                by,
                claim.executionMillis());
    }
}
