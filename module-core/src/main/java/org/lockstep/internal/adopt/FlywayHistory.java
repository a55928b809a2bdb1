package org.lockstep.internal.adopt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import org.lockstep.AdoptResult;
import org.lockstep.MigrationTool;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.ForeignTable;

/**
 * Flyway's {@code flyway_schema_history}: one row per migration run, in {@code installed_rank}
 * order, with {@code version} (null for a repeatable migration), {@code type}, {@code script},
 * {@code checksum} (CRC32, {@link FlywayChecksum}), {@code installed_by}, {@code installed_on},
 * {@code execution_time} (ms) and {@code success}.
 *
 * <ul>
 *   <li>A versioned row with {@code success = 1} is applied, verified by its checksum where it is
 *       an SQL migration.
 *   <li>A row with {@code success = 0} is a failed migration whose effects Flyway could not roll
 *       back (a non-transactional script, or a database without transactional DDL): refused until
 *       it is cleaned up and {@code flyway repair} has removed the row.
 *   <li>Reported, not recorded: repeatable ({@code R__}) rows, the baseline row ({@code BASELINE},
 *       {@code SQL_BASELINE}; scripts at or below it were never run by Flyway), the schema-creation
 *       marker ({@code SCHEMA}), and versions that {@code flyway repair} marked deleted
 *       ({@code DELETE}) or {@code flyway undo} undid.
 * </ul>
 */
final class FlywayHistory implements ForeignHistory {
    @Override
    public MigrationTool tool() {
        return MigrationTool.FLYWAY;
    }

    @Override
    public Reading read(ForeignTable table, NavigableMap<MigrationVersion, LocalScript> local, String database) {
        ForeignValues values = new ForeignValues(table, database);
        List<Map<String, Object>> rows = new ArrayList<>(table.rows());
        rows.sort(Comparator.comparing(
                row -> ForeignValues.whole(row.get("installed_rank")).orElse(Long.MAX_VALUE)));
        Map<MigrationVersion, Claim> applied = new LinkedHashMap<>();
        List<AdoptResult.NotAdopted> notAdopted = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        MigrationVersion baseline = null;
        for (Map<String, Object> row : rows) {
            String version =
                    ForeignValues.text(row.get("version")).map(String::strip).orElse("");
            String script = ForeignValues.text(row.get("script")).orElse("");
            String type = ForeignValues.text(row.get("type")).orElse("").toUpperCase(Locale.ROOT);
            if (!ForeignValues.truth(row.get("success"))) {
                failed.add((version.isEmpty() ? "repeatable" : "version [" + version + "]") + " [" + script + "]");
                continue;
            }
            if (version.isEmpty()) {
                notAdopted.add(new AdoptResult.NotAdopted(
                        "",
                        script,
                        "a repeatable migration: Lockstep has none, so it is not recorded; what it made stays"));
                continue;
            }
            MigrationVersion parsed = values.version(version);
            if (type.equals("BASELINE") || type.equals("SQL_BASELINE")) {
                baseline = parsed;
                notAdopted.add(new AdoptResult.NotAdopted(
                        version,
                        script,
                        "Flyway's baseline: the schema up to it was there before Flyway, and no script of it is"
                                + " recorded"));
            } else if (type.equals("SCHEMA")) {
                notAdopted.add(
                        new AdoptResult.NotAdopted(version, script, "Flyway's record of the schemas it created"));
            } else if (type.equals("DELETE")) {
                applied.remove(parsed);
                notAdopted.add(new AdoptResult.NotAdopted(
                        version, script, "marked deleted by flyway repair, so not applied as Flyway sees it"));
            } else if (type.startsWith("UNDO")) {
                applied.remove(parsed);
                notAdopted.add(new AdoptResult.NotAdopted(version, script, "undone by flyway undo"));
            } else {
                Optional<Long> checksum = ForeignValues.whole(row.get("checksum"));
                Optional<Check> check = type.equals("SQL") && checksum.isPresent()
                        ? Optional.of(crc(checksum.get().intValue()))
                        : Optional.empty();
                applied.put(
                        parsed,
                        new Claim(
                                parsed,
                                script,
                                values.instant(row.get("installed_on")),
                                ForeignValues.text(row.get("installed_by")).filter(by -> !by.isBlank()),
                                ForeignValues.whole(row.get("execution_time"))
                                        .filter(ms -> ms >= 0)
                                        .orElse(0L),
                                check));
            }
        }
        if (!failed.isEmpty()) {
            throw values.blocked(
                    "flyway recorded " + String.join(", ", failed) + " as failed (success = 0): what it left"
                            + " in the database is unknown. Undo or finish its changes by hand, run flyway repair (which"
                            + " removes the failed row) and flyway migrate, then adopt again");
        }
        if (baseline != null) {
            for (LocalScript script : local.headMap(baseline, true).values()) {
                if (!applied.containsKey(script.script().version())) {
                    notAdopted.add(new AdoptResult.NotAdopted(
                            script.script().version().toString(),
                            script.script().fileName(),
                            "at or below Flyway's baseline [" + baseline + "], so Flyway never ran it, and it is not"
                                    + " recorded: move it out of the migrations folder, or migrate will find it"
                                    + " pending below applied versions"));
                }
            }
        }
        return new Reading(List.copyOf(applied.values()), notAdopted);
    }

    private static Check crc(int recorded) {
        return local -> {
            int file = FlywayChecksum.of(local.text());
            return file == recorded
                    ? Optional.empty()
                    : Optional.of("flyway recorded checksum [" + recorded + "], the file's is [" + file + "]");
        };
    }
}
