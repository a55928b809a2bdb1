package org.lockstep;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where {@link Migrator#adopt(AdoptFrom)} looks for another tool's history: any tool it
 * recognises in its default table ({@link #detect()}), one tool ({@link #tool(MigrationTool)}),
 * and optionally the table that tool was told to use ({@link #inTable(String)}). Immutable.
 *
 * @param tool the tool, or empty to recognise it by its table's name and columns
 * @param table the table, or empty for the tool's {@linkplain MigrationTool#defaultTable() default}
 */
public record AdoptFrom(Optional<MigrationTool> tool, Optional<String> table) {
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a table is given without a tool, or is not a plain
     *     identifier (letters, digits and underscores, not starting with a digit)
     */
    public AdoptFrom {
        Objects.requireNonNull(tool, "tool");
        Objects.requireNonNull(table, "table");
        if (table.isPresent() && tool.isEmpty()) {
            throw new IllegalArgumentException(
                    "A table [" + table.get() + "] needs a tool: say which tool's history it holds");
        }
        if (table.isPresent() && !TABLE_NAME.matcher(table.get()).matches()) {
            throw new IllegalArgumentException("Table [" + table.get()
                    + "] is not a plain identifier (letters, digits and underscores, not starting with a digit)");
        }
    }

    /** Returns the request to recognise whichever supported tool's history is in its default table. */
    public static AdoptFrom detect() {
        return new AdoptFrom(Optional.empty(), Optional.empty());
    }

    /**
     * Returns the request to adopt the history of {@code tool} from its default table.
     *
     * @param tool the tool
     * @return the request
     */
    public static AdoptFrom tool(MigrationTool tool) {
        return new AdoptFrom(Optional.of(tool), Optional.empty());
    }

    /**
     * Returns this request reading the tool's history from {@code table} instead of the default.
     *
     * @param table the table the tool was configured to use
     * @return the request
     * @throws IllegalArgumentException if no tool is set, or the name is not a plain identifier
     */
    public AdoptFrom inTable(String table) {
        return new AdoptFrom(tool, Optional.of(Objects.requireNonNull(table, "table")));
    }
}
