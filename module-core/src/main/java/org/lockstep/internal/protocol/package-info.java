/**
 * The migration lock protocol ({@link org.lockstep.internal.protocol.MigrationProtocol}, whose
 * opening comment states it), the plan it makes against a history, and the dialect-neutral
 * contract it speaks to a database ({@link org.lockstep.internal.protocol.Session}).
 */
package org.lockstep.internal.protocol;
