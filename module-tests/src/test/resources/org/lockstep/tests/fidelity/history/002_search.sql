/* Full-text search over posts: a virtual table kept in sync by triggers whose bodies hold
   semicolons; and "END" and 'BEGIN' appear in strings; -- not a comment inside a string. */
CREATE VIRTUAL TABLE posts_fts USING fts5(title, body, content = 'posts', content_rowid = 'id');

CREATE TRIGGER posts_ai AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts (rowid, title, body) VALUES (new.id, new.title, new.body);
END;

CREATE TRIGGER posts_ad AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
END;

CREATE TRIGGER posts_au AFTER UPDATE ON posts
WHEN new.body <> old.body
BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO posts_fts (rowid, title, body) VALUES (new.id, new.title,
        CASE WHEN new.body = '' THEN 'END; of the story' ELSE new.body END);
END;
