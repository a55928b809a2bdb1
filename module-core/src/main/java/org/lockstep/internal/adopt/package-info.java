/**
 * Adopting the history of another migration tool (Flyway, sqlx, goose, golang-migrate,
 * dbmate): which tool's table holds it, what each tool's rows say is applied, the checksums it
 * recorded checked against the local scripts, and the rows Lockstep's history records for them
 * ({@link org.lockstep.internal.adopt.Adoption}, run under the migration lock in one
 * transaction). The other tool's table is only ever read.
 *
 * <p>Each tool's reading is one class, written after that tool's own source: what its table's
 * columns are ({@link org.lockstep.internal.history.ForeignShape}), which rows mean "applied",
 * which mean "failed and not repaired" (refused: its effects are unknown), and how its checksum
 * is computed.
 */
package org.lockstep.internal.adopt;
