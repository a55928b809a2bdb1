-- A backfill long enough that the other workers visibly wait for the lock: 300,000 notes
-- from a recursive common table expression, in one statement, maintaining the title index.
WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)
INSERT INTO notes (title, body)
SELECT 'Note ' || i, printf('Backfilled note %d; part of the demo', i) FROM n;
