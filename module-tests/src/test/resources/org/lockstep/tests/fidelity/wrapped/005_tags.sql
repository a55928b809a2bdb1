PRAGMA foreign_keys = ON;
CREATE TABLE tags (post_id INTEGER NOT NULL REFERENCES posts (id), tag TEXT NOT NULL, PRIMARY KEY (post_id, tag)) WITHOUT ROWID;
INSERT INTO tags VALUES (10, 'intro'), (13, 'news');
