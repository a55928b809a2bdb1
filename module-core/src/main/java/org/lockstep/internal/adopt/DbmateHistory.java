package org.lockstep.internal.adopt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.lockstep.MigrationTool;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.ForeignTable;

/**
 * dbmate's {@code schema_migrations(version)} ({@code CreateMigrationsTable} in
 * {@code pkg/driver/sqlite} and {@code pkg/driver/postgres}): one row per applied migration, its
 * version the digits of the file name; a migration rolled back is deleted. No checksum and no
 * times.
 */
final class DbmateHistory implements ForeignHistory {
    @Override
    public MigrationTool tool() {
        return MigrationTool.DBMATE;
    }

    @Override
    public Reading read(ForeignTable table, NavigableMap<MigrationVersion, LocalScript> local, String database) {
        ForeignValues values = new ForeignValues(table, database);
        List<Claim> claims = new ArrayList<>();
        for (Map<String, Object> row : table.rows()) {
            String version =
                    ForeignValues.text(row.get("version")).map(String::strip).orElse("");
            claims.add(Claim.of(values.version(version), "version " + version));
        }
        return new Reading(claims, List.of());
    }
}
