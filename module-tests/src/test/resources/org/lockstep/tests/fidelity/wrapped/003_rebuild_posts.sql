PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE posts_new (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    words INTEGER NOT NULL DEFAULT 0
);
INSERT INTO posts_new (id, user_id, title) SELECT id, user_id, title FROM posts;
DROP TABLE posts;
ALTER TABLE posts_new RENAME TO posts;
CREATE INDEX posts_user ON posts (user_id);
-- A trigger's own BEGIN ... END is no transaction.
CREATE TRIGGER posts_count AFTER INSERT ON posts
BEGIN
    UPDATE posts SET words = CASE WHEN NEW.title = '' THEN 0 ELSE 1 END WHERE id = NEW.id;
END;
COMMIT;
PRAGMA foreign_keys=ON;
