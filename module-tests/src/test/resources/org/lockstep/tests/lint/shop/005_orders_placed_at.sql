-- A new column, nullable then backfilled: safe on a table with rows.
ALTER TABLE orders ADD COLUMN placed_at TEXT;
UPDATE orders SET placed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE placed_at IS NULL;
CREATE INDEX orders_placed_at ON orders (placed_at);
