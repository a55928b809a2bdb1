-- Not idempotent: a second run would fail on the unique tag names (and the welcome note of
-- 001 would be there twice). Exactly-once is what lets scripts like these stay simple.
INSERT INTO tags (name) VALUES ('welcome'), ('backfilled');

INSERT INTO note_tags (note_id, tag_id)
SELECT notes.id, tags.id FROM notes JOIN tags ON tags.name = 'backfilled'
 WHERE notes.title LIKE 'Note %';

CREATE INDEX note_tags_by_tag ON note_tags (tag_id, note_id);
