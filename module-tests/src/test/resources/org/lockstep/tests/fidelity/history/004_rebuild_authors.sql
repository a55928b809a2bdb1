-- A table rebuild (the only way to add a CHECK constraint in SQLite): new table, copy,
-- drop old, rename. With foreign keys enforced, DROP TABLE authors would cascade-delete
-- every post; Lockstep migrates with enforcement off and checks the keys before commit.
CREATE TABLE authors_new (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL CHECK (length(name) > 0),
    email TEXT NOT NULL UNIQUE,
    slug  TEXT GENERATED ALWAYS AS (lower(replace(name, ' ', '-'))) VIRTUAL
) STRICT;
INSERT INTO authors_new (id, name, email) SELECT id, name, email FROM authors;
DROP TABLE authors;
ALTER TABLE authors_new RENAME TO authors;
