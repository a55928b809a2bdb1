CREATE VIEW open_orders AS
    SELECT o.id, c.email, o.total, o.placed_at
      FROM orders o JOIN customers c ON c.id = o.customer_id
     WHERE o.status IN ('new', 'paid');

CREATE TABLE daily_totals (
    day   TEXT PRIMARY KEY,
    total INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE product_stats (
    sku    TEXT PRIMARY KEY REFERENCES products (sku),
    views  INTEGER NOT NULL DEFAULT 0,
    weight INTEGER GENERATED ALWAYS AS (views * 2) STORED
);

INSERT INTO daily_totals (day, total)
SELECT substr(placed_at, 1, 10), sum(total) FROM orders GROUP BY 1
    ON CONFLICT (day) DO UPDATE SET total = excluded.total;
