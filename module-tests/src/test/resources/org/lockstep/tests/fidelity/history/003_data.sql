INSERT INTO authors (id, name, email) VALUES (1, 'Ada Lovelace', 'ada@example.org');
INSERT INTO authors (id, name, email) VALUES (2, 'Grace Hopper', 'grace@example.org');
INSERT INTO settings (key, value) VALUES ('motto', 'BEGIN; nothing; END;'), ('greeting', 'Grüße, ça va? 日本語');
INSERT INTO posts (author_id, title, body) VALUES (1, 'Notes; on the engine', 'The engine weaves algebraic patterns');
INSERT INTO posts (author_id, title, body) VALUES (2, 'It''s easier to ask forgiveness', 'than it is to get permission -- really');
UPDATE posts SET body = body || ' indeed' WHERE id = 1;
