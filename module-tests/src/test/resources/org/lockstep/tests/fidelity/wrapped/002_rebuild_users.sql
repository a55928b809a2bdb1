-- SQLite's twelve-step table rebuild (https://www.sqlite.org/lang_altertable.html#otheralter),
-- as the sqlite3 shell runs it: enforcement off, so dropping users cannot cascade to posts.
PRAGMA foreign_keys = off;

CREATE TABLE users_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (name <> ''),
    email TEXT
);
INSERT INTO users_new (id, name) SELECT id, name FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
PRAGMA foreign_key_check;

PRAGMA foreign_keys = on;
