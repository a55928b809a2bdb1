#!/bin/bash
# A one-index deploy on a large database, with one or more runtime images side by side:
#   build/large-database-deploy.sh DIR RUNS IMAGE [IMAGE...]
# Builds DIR/large.db once (WAL; a 200 000-row parent, a 20 000 000-row child with a foreign
# key to it, about 1.1 GB, and an empty table) and DIR/empty.db (the same schema, no rows),
# then, RUNS times and interleaved, copies each database, writes the copy out, runs
# `lockstep migrate` of one script that adds an index to the empty table, and prints
# "image database applied_ms command_ms". Needs sqlite3.
set -euo pipefail
dir=$1; runs=$2; shift 2
mkdir -p "$dir/migrations"
echo "CREATE INDEX small_x ON small (x);" > "$dir/migrations/001_index.sql"
schema="PRAGMA journal_mode=WAL;
CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), note TEXT);
CREATE TABLE small (x INTEGER);"
if [ ! -f "$dir/large.db" ]; then
  sqlite3 "$dir/large.db" >/dev/null <<SQL
$schema
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
  INSERT INTO parent SELECT i, 'p' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000000)
  INSERT INTO child SELECT i, 1 + i % 200000, 'note ' || i || ' ' || hex(randomblob(14)) FROM n;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
fi
[ -f "$dir/empty.db" ] || echo "$schema" | sqlite3 "$dir/empty.db" >/dev/null
for run in $(seq "$runs"); do
  for image in "$@"; do
    for db in large empty; do
      rm -f "$dir/run.db" "$dir/run.db-wal" "$dir/run.db-shm"
      cp "$dir/$db.db" "$dir/run.db"
      sync "$dir/run.db"
      start=$(date +%s%N)
      out=$("$image/bin/lockstep" migrate --database "$dir/run.db" --migrations "$dir/migrations" 2>&1)
      end=$(date +%s%N)
      applied=$(echo "$out" | sed -n 's/^Applied 001 index (\([0-9.]*\) ms).*/\1/p')
      echo "$image $db ${applied:-FAILED} $(( (end - start) / 1000000 ))"
    done
  done
done
