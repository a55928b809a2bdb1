package org.lockstep.internal.schema;

/**
 * One {@code CHECK} constraint of a table.
 *
 * @param column the column it is declared on, or null for a table constraint
 * @param expression its expression in normal form ({@link SqlText#normalize})
 */
public record Check(String column, String expression) {

    /** Returns the check as SQL-like text, e.g. {@code CHECK (price >= 0)}. */
    public String describe() {
        return "CHECK (" + expression + ")" + (column == null ? "" : " on column [" + column + "]");
    }
}
