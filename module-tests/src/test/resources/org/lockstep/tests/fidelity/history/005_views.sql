CREATE VIEW post_summaries AS
    SELECT p.id, a.name AS author, p.title, p.words,
           CASE WHEN p.words > 5 THEN 'long' ELSE 'short' END AS size
      FROM posts p JOIN authors a ON a.id = p.author_id;
