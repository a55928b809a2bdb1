CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT ''
);
INSERT INTO notes (title, body) VALUES ('first', 'written by the previous release');
