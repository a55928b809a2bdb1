/**
 * The Lockstep API: configure with {@link org.lockstep.MigrationConfig}, run with
 * {@link org.lockstep.Migrator}.
 *
 * <p>Nullness: parameters and results of every type in this package are non-null unless a
 * method's documentation says otherwise; absence is expressed with {@link java.util.Optional},
 * and collections are never null (they may be empty). Passing {@code null} throws
 * {@link java.lang.NullPointerException}.
 *
 * <p>Errors: every failure is a subtype of the sealed, unchecked
 * {@link org.lockstep.LockstepException}.
 */
package org.lockstep;
