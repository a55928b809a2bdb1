package org.lockstep.internal.adopt;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import org.lockstep.MigrationTool;
import org.lockstep.MigrationVersion;
import org.lockstep.internal.history.ForeignTable;

/**
 * sqlx's {@code _sqlx_migrations} ({@code ensure_migrations_table} in {@code sqlx-sqlite} and
 * {@code sqlx-postgres}): one row per applied migration with {@code version} (a 64-bit number
 * from the file name), {@code installed_on}, {@code success}, {@code checksum} (the SHA-384 of
 * the file's text, {@code Migration::new} in {@code sqlx-core}) and {@code execution_time}
 * (nanoseconds; -1 when sqlx could not record it).
 *
 * <p>A row with {@code success = false} is a migration that sqlx began outside a transaction
 * and did not finish (sqlx calls the database dirty and stops): refused. The checksum is
 * matched against the file's bytes, or against them with {@code \r\n} line endings made
 * {@code \n} (a checkout on another system, or sqlx told to ignore {@code \r}).
 */
final class SqlxHistory implements ForeignHistory {
    @Override
    public MigrationTool tool() {
        return MigrationTool.SQLX;
    }

    @Override
    public Reading read(ForeignTable table, NavigableMap<MigrationVersion, LocalScript> local, String database) {
        ForeignValues values = new ForeignValues(table, database);
        List<Claim> claims = new ArrayList<>();
        List<String> dirty = new ArrayList<>();
        for (Map<String, Object> row : table.rows()) {
            String version =
                    ForeignValues.text(row.get("version")).map(String::strip).orElse("");
            String description = ForeignValues.text(row.get("description")).orElse("");
            if (!ForeignValues.truth(row.get("success"))) {
                dirty.add("version [" + version + "] [" + description + "]");
                continue;
            }
            MigrationVersion parsed = values.version(version);
            Optional<Check> check = ForeignValues.bytes(row.get("checksum")).map(SqlxHistory::sha384Check);
            long nanos = ForeignValues.whole(row.get("execution_time")).orElse(-1L);
            claims.add(new Claim(
                    parsed,
                    description,
                    values.instant(row.get("installed_on")),
                    Optional.empty(),
                    nanos < 0 ? 0 : nanos / 1_000_000,
                    check));
        }
        if (!dirty.isEmpty()) {
            throw values.blocked("sqlx recorded " + String.join(", ", dirty) + " as not finished (success = false):"
                    + " what it left in the database is unknown. Repair the database by hand and delete that row, as"
                    + " sqlx asks, then adopt again");
        }
        return new Reading(claims, List.of());
    }

    private static Check sha384Check(byte[] recorded) {
        return local -> {
            byte[] raw = sha384(local.bytes());
            if (Arrays.equals(raw, recorded)
                    || Arrays.equals(sha384(withoutCarriageReturns(local.bytes())), recorded)) {
                return Optional.empty();
            }
            HexFormat hex = HexFormat.of();
            return Optional.of("sqlx recorded SHA-384 [" + hex.formatHex(recorded) + "], the file's is ["
                    + hex.formatHex(raw) + "]");
        };
    }

    // \r\n made \n; a lone \r is left.
    private static byte[] withoutCarriageReturns(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        int n = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n') {
                continue;
            }
            out[n++] = bytes[i];
        }
        return Arrays.copyOf(out, n);
    }

    static byte[] sha384(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-384").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-384 is required of every Java platform", e);
        }
    }
}
