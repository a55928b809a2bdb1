package org.lockstep.internal.lint;

import org.lockstep.LintRule;

/**
 * A finding before allow comments are applied.
 *
 * @param rule the rule
 * @param line the line of the statement it is about
 * @param message the message
 */
record Draft(LintRule rule, int line, String message) {}
