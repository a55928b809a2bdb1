ALTER TABLE notes ADD COLUMN updated_at TEXT;

/* Keep updated_at current; the trigger body has its own semicolons
   and a CASE ... END inside it. */
CREATE TRIGGER notes_touch AFTER UPDATE OF title, body ON notes
BEGIN
    UPDATE notes
       SET updated_at = CASE WHEN NEW.body = '' THEN NULL
                             ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END
     WHERE id = NEW.id;
END;
