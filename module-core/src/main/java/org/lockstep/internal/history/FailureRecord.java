package org.lockstep.internal.history;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.lockstep.MigrationVersion;

/**
 * One failed attempt at a migration, as {@link FailureTable} records it: which script failed,
 * in which deploy, how, by whom and when.
 *
 * @param version the failing migration's version
 * @param script the script's file name
 * @param checksum the script's checksum when it failed
 * @param earlierChecksum {@link #earlierChecksum(List)} of the scripts that ran before it in the
 *     same transaction, so that a fix in one of them counts as a changed deploy
 * @param line the line of the failing statement, or 0 for a failed integrity check
 * @param statement the start of the failing statement, or empty
 * @param sqlState the database's SQLState, or empty
 * @param errorCode the database's vendor error code
 * @param message the failure's message, as the worker that failed reported it
 * @param failedAt when it failed
 * @param failedBy who failed (the worker's owner)
 */
public record FailureRecord(
        MigrationVersion version,
        String script,
        String checksum,
        String earlierChecksum,
        int line,
        String statement,
        String sqlState,
        int errorCode,
        String message,
        Instant failedAt,
        String failedBy) {

    /**
     * Returns one checksum for the checksums of the scripts that ran before a failing one in its
     * transaction, in order: empty for none, else the hex SHA-256 of the checksums joined by
     * line feeds.
     *
     * @param checksums the earlier scripts' checksums, in order
     * @return the combined checksum
     */
    public static String earlierChecksum(List<String> checksums) {
        if (checksums.isEmpty()) {
            return "";
        }
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(String.join("\n", checksums).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
