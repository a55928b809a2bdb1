begin transaction;
INSERT INTO posts (id, user_id, title) VALUES (13, 2, 'after the rebuild');
UPDATE users SET email = name || '@example.org';
end transaction;
