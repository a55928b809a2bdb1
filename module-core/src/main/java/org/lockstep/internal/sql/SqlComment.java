package org.lockstep.internal.sql;

/**
 * One comment of a script, as the dialect's scanner skips it.
 *
 * @param text the comment's text without its markers ({@code --}, or {@code /*} and its closer)
 * @param line the 1-based line it starts on
 */
public record SqlComment(String text, int line) {}
