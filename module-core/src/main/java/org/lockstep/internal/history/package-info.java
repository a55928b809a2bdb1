/**
 * The history table, written once for every database: its columns and format, how it is
 * created, read, checked and written ({@link org.lockstep.internal.history.HistoryTable}), and
 * the rows and snapshots the protocol plans with.
 */
package org.lockstep.internal.history;
