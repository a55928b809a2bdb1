package org.lockstep.internal.adopt;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.lockstep.MigrationTool;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.ForeignTable;

/**
 * golang-migrate's {@code schema_migrations(version, dirty)} ({@code SetVersion} in
 * {@code database/sqlite3} and {@code database/postgres}): at most one row, whose version means
 * that every migration up to it is applied; no row means none is. {@code dirty} means a
 * migration failed part-way and golang-migrate refuses to go on until {@code migrate force}:
 * refused. No checksum and no times: each local script up to the version is recorded, and the
 * version itself must have a script here.
 */
final class GolangMigrateHistory implements ForeignHistory {
    @Override
    public MigrationTool tool() {
        return MigrationTool.GOLANG_MIGRATE;
    }

    @Override
    public Reading read(ForeignTable table, NavigableMap<MigrationVersion, LocalScript> local, String database) {
        ForeignValues values = new ForeignValues(table, database);
        if (table.rows().isEmpty()) {
            return new Reading(List.of(), List.of());
        }
        if (table.rows().size() > 1) {
            throw values.refused(
                    "holds [" + table.rows().size() + "] rows where golang-migrate keeps one (the current version)");
        }
        Map<String, Object> row = table.rows().get(0);
        String version =
                ForeignValues.text(row.get("version")).map(String::strip).orElse("");
        if (ForeignValues.truth(row.get("dirty"))) {
            throw values.blocked("golang-migrate marks version [" + version + "] dirty: a migration failed part-way and"
                    + " what it left in the database is unknown. Fix the database by hand, run golang-migrate's"
                    + " migrate force with the version it is now at, then adopt again");
        }
        MigrationVersion current = values.version(version);
        List<Claim> claims = new ArrayList<>();
        for (LocalScript script : local.headMap(current, false).values()) {
            claims.add(Claim.of(script.script().version(), "below version " + version));
        }
        claims.add(Claim.of(current, "version " + version));
        return new Reading(claims, List.of());
    }
}
