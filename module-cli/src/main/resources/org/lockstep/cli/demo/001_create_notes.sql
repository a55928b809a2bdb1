-- Notes, the application's main table.
CREATE TABLE notes (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

INSERT INTO notes (title, body) VALUES ('Welcome', 'Lockstep applied this; it''s a note; with semicolons;');
