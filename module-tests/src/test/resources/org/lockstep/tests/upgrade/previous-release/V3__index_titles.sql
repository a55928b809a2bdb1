CREATE INDEX notes_by_title ON notes (title);
