/**
 * Finding, reading and parsing migration scripts: locations, the naming rule, text and
 * checksums. Splitting into statements is {@link org.lockstep.internal.sql}'s.
 */
package org.lockstep.internal.script;
