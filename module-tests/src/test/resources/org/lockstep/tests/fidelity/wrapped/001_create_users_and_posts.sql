-- Written for golang-migrate run without its transaction wrapper (x-no-tx-wrap=true):
-- each file brings its own transaction and switches enforcement off around it.
PRAGMA foreign_keys=OFF;
BEGIN;
CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL
);
INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'brian');
INSERT INTO posts (id, user_id, title) VALUES (10, 1, 'BEGIN; a title'), (11, 1, 'COMMIT;'), (12, 2, 'end');
COMMIT;
PRAGMA foreign_keys=ON;
