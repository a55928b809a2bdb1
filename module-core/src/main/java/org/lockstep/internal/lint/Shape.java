package org.lockstep.internal.lint;

import java.util.ArrayList;
import java.util.List;
import org.lockstep.internal.schema.SqlText;
import org.lockstep.internal.sql.SqlToken;

/**
 * What a statement does to the schema, read from its tokens: enough for the rules to name the
 * statement that created, dropped, renamed or altered an object, and to read a rebuild's copy.
 *
 * @param verb what kind of statement it is
 * @param name the object it creates, drops or alters (for ALTER TABLE and INSERT/UPDATE: the table)
 * @param on for an index or trigger, its table; for a rename, the new name; else null
 * @param column for a column rename or drop, the column; for ADD COLUMN, the new column's name
 * @param newColumn for a column rename, the new name
 * @param tokens the statement's tokens
 * @param columnDefinition for ADD COLUMN, the tokens of the column's definition after its name
 * @param copy for an INSERT ... SELECT, what it copies from where; else null
 */
record Shape(
        Verb verb,
        String name,
        String on,
        String column,
        String newColumn,
        List<SqlToken> tokens,
        List<SqlToken> columnDefinition,
        Copy copy) {

    enum Verb {
        CREATE_TABLE,
        CREATE_INDEX,
        CREATE_TRIGGER,
        CREATE_VIEW,
        DROP_TABLE,
        DROP_INDEX,
        DROP_TRIGGER,
        DROP_VIEW,
        RENAME_TABLE,
        RENAME_COLUMN,
        ADD_COLUMN,
        DROP_COLUMN,
        INSERT,
        UPDATE,
        OTHER
    }

    /**
     * An {@code INSERT INTO target [(columns)] SELECT items FROM source [WHERE ...]}.
     *
     * @param columns the target's columns as listed, or empty when none are
     * @param items the select list's items, each its tokens; one item {@code *} for {@code SELECT *}
     * @param source the first table after FROM, or null
     * @param where the tokens of the top-level WHERE clause, empty if none
     * @param ignoring whether it is {@code INSERT OR IGNORE} (rows that fail are skipped)
     */
    record Copy(
            List<String> columns, List<List<SqlToken>> items, String source, List<SqlToken> where, boolean ignoring) {}

    static Shape of(List<SqlToken> tokens) {
        Reader reader = new Reader(tokens);
        return reader.read();
    }

    private static final class Reader {
        private final List<SqlToken> tokens;
        private int i;

        Reader(List<SqlToken> tokens) {
            this.tokens = tokens;
        }

        private boolean at(String keyword) {
            return i < tokens.size() && tokens.get(i).is(keyword);
        }

        private boolean skip(String... keywords) {
            for (String keyword : keywords) {
                if (!at(keyword)) {
                    return false;
                }
                i++;
            }
            return true;
        }

        // [schema.]name, the name returned; null at the end.
        private String name() {
            if (i >= tokens.size() || !tokens.get(i).isName()) {
                return null;
            }
            if (i + 2 < tokens.size() && tokens.get(i + 1).is('.')) {
                i += 2;
            }
            return tokens.get(i++).name();
        }

        private Shape shape(Verb verb, String name, String on) {
            return new Shape(verb, name, on, null, null, tokens, List.of(), null);
        }

        Shape read() {
            if (skip("CREATE")) {
                boolean any = skip("TEMP") || skip("TEMPORARY");
                skip("UNIQUE");
                skip("VIRTUAL");
                Verb verb = at("TABLE")
                        ? Verb.CREATE_TABLE
                        : at("INDEX")
                                ? Verb.CREATE_INDEX
                                : at("TRIGGER") ? Verb.CREATE_TRIGGER : at("VIEW") ? Verb.CREATE_VIEW : null;
                if (verb == null
                        || any
                                && verb != Verb.CREATE_TRIGGER
                                && verb != Verb.CREATE_VIEW
                                && verb != Verb.CREATE_TABLE) {
                    return shape(Verb.OTHER, null, null);
                }
                i++;
                skip("IF", "NOT", "EXISTS");
                String name = name();
                String on = null;
                if (verb == Verb.CREATE_INDEX && skip("ON")) {
                    on = name();
                } else if (verb == Verb.CREATE_TRIGGER) {
                    for (; i < tokens.size(); i++) {
                        if (tokens.get(i).depth() == 0 && at("BEGIN")) {
                            break;
                        }
                        if (tokens.get(i).depth() == 0 && at("ON")) {
                            i++;
                            on = name();
                            break;
                        }
                    }
                }
                if (any) {
                    return shape(Verb.OTHER, name, on); // a TEMP object is not part of the schema
                }
                return shape(verb, name, on);
            }
            if (skip("DROP")) {
                Verb verb = at("TABLE")
                        ? Verb.DROP_TABLE
                        : at("INDEX")
                                ? Verb.DROP_INDEX
                                : at("TRIGGER") ? Verb.DROP_TRIGGER : at("VIEW") ? Verb.DROP_VIEW : null;
                if (verb == null) {
                    return shape(Verb.OTHER, null, null);
                }
                i++;
                skip("IF", "EXISTS");
                return shape(verb, name(), null);
            }
            if (skip("ALTER", "TABLE")) {
                String table = name();
                if (skip("RENAME")) {
                    if (skip("TO")) {
                        return shape(Verb.RENAME_TABLE, table, name());
                    }
                    skip("COLUMN");
                    String from = name();
                    skip("TO");
                    return new Shape(Verb.RENAME_COLUMN, table, null, from, name(), tokens, List.of(), null);
                }
                if (skip("ADD")) {
                    skip("COLUMN");
                    String column = name();
                    return new Shape(
                            Verb.ADD_COLUMN, table, null, column, null, tokens, tokens.subList(i, tokens.size()), null);
                }
                if (skip("DROP")) {
                    skip("COLUMN");
                    return new Shape(Verb.DROP_COLUMN, table, null, name(), null, tokens, List.of(), null);
                }
                return shape(Verb.OTHER, table, null);
            }
            if (at("INSERT") || at("REPLACE")) {
                i++;
                boolean ignoring = false;
                if (skip("OR")) {
                    ignoring = at("IGNORE");
                    i++;
                }
                if (!skip("INTO")) {
                    return shape(Verb.OTHER, null, null);
                }
                String table = name();
                if (skip("AS")) {
                    name();
                }
                List<String> columns = new ArrayList<>();
                if (i < tokens.size() && tokens.get(i).is('(')) {
                    for (List<SqlToken> item : SqlText.items(tokens, i)) {
                        if (!item.isEmpty()) {
                            columns.add(item.get(0).name());
                        }
                    }
                    i = SqlText.closing(tokens, i) + 1;
                }
                return new Shape(Verb.INSERT, table, null, null, null, tokens, List.of(), copy(columns, ignoring));
            }
            if (skip("UPDATE")) {
                if (skip("OR")) {
                    i++;
                }
                return shape(Verb.UPDATE, name(), null);
            }
            return shape(Verb.OTHER, null, null);
        }

        private Copy copy(List<String> columns, boolean ignoring) {
            if (!skip("SELECT")) {
                return null;
            }
            if (!skip("DISTINCT")) {
                skip("ALL");
            }
            List<List<SqlToken>> items = new ArrayList<>();
            List<SqlToken> item = new ArrayList<>();
            String source = null;
            List<SqlToken> where = new ArrayList<>();
            for (; i < tokens.size(); i++) {
                SqlToken token = tokens.get(i);
                if (token.depth() == 0 && token.is("FROM")) {
                    i++;
                    source = name();
                    break;
                }
                if (token.depth() == 0 && token.is(',')) {
                    items.add(item);
                    item = new ArrayList<>();
                } else {
                    item.add(token);
                }
            }
            items.add(item);
            for (; i < tokens.size(); i++) {
                if (tokens.get(i).depth() == 0 && tokens.get(i).is("WHERE")) {
                    where = tokens.subList(i + 1, tokens.size());
                    break;
                }
            }
            return new Copy(columns, items, source, where, ignoring);
        }
    }

    /** Returns whether a CREATE INDEX statement creates a unique index. */
    boolean unique() {
        return verb == Verb.CREATE_INDEX && tokens.size() > 1 && tokens.get(1).is("UNIQUE");
    }
}
