package org.lockstep.internal.adopt;

import org.lockstep.internal.script.MigrationScript;

/**
 * A local script as adoption holds it against another tool's history: parsed, and as the file
 * is, since other tools checksum the file's bytes or its lines.
 *
 * @param script the parsed script
 * @param bytes the file's bytes
 * @param text the file's text, decoded, with a leading byte-order mark removed
 */
record LocalScript(MigrationScript script, byte[] bytes, String text) {}
