-- A STRICT table, a WITHOUT ROWID table and generated columns.
CREATE TABLE authors (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    slug  TEXT GENERATED ALWAYS AS (lower(replace(name, ' ', '-'))) VIRTUAL
) STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE posts (
    id        INTEGER PRIMARY KEY,
    author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title     TEXT NOT NULL,
    body      TEXT NOT NULL DEFAULT '',
    words     INTEGER GENERATED ALWAYS AS (length(body) - length(replace(body, ' ', '')) + 1) STORED
);
