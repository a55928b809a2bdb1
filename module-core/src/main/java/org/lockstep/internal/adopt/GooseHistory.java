package org.lockstep.internal.adopt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import org.lockstep.AdoptResult;
import org.lockstep.MigrationTool;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.ForeignTable;

/**
 * goose's {@code goose_db_version} ({@code internal/dialect/dialectquery}): a row
 * {@code (version_id, is_applied, tstamp)} per up and, in older goose, per down, in {@code id}
 * order; the latest row of a version says whether it is applied (newer goose deletes the row on
 * down instead). Version 0 is goose's own first row. goose keeps no checksum, and a failed
 * migration leaves no row.
 */
final class GooseHistory implements ForeignHistory {
    @Override
    public MigrationTool tool() {
        return MigrationTool.GOOSE;
    }

    @Override
    public Reading read(ForeignTable table, NavigableMap<MigrationVersion, LocalScript> local, String database) {
        ForeignValues values = new ForeignValues(table, database);
        List<Map<String, Object>> rows = new ArrayList<>(table.rows());
        rows.sort(Comparator.comparing(row -> ForeignValues.whole(row.get("id")).orElse(Long.MAX_VALUE)));
        Map<MigrationVersion, Map<String, Object>> latest = new LinkedHashMap<>();
        Map<MigrationVersion, String> written = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            String version =
                    ForeignValues.text(row.get("version_id")).map(String::strip).orElse("");
            if (version.equals("0")) {
                continue;
            }
            MigrationVersion parsed = values.version(version);
            latest.remove(parsed); // re-inserted last: the versions in the order of their latest row
            latest.put(parsed, row);
            written.put(parsed, version);
        }
        List<Claim> claims = new ArrayList<>();
        List<AdoptResult.NotAdopted> notAdopted = new ArrayList<>();
        for (Map.Entry<MigrationVersion, Map<String, Object>> entry : latest.entrySet()) {
            Map<String, Object> row = entry.getValue();
            String version = written.get(entry.getKey());
            if (ForeignValues.truth(row.get("is_applied"))) {
                claims.add(new Claim(
                        entry.getKey(),
                        "version " + version,
                        values.instant(row.get("tstamp")),
                        Optional.empty(),
                        0,
                        Optional.empty()));
            } else {
                notAdopted.add(new AdoptResult.NotAdopted(
                        version, "version " + version, "rolled back by goose down, so not applied"));
            }
        }
        return new Reading(claims, notAdopted);
    }
}
