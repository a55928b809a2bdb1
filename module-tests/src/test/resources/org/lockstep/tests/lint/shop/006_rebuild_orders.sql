-- The documented 12-step rebuild (https://www.sqlite.org/lang_altertable.html#otheralter):
-- placed_at becomes NOT NULL and the status check gains 'refunded'. Every index and trigger
-- of the old table is created again; the copy fills NULLs first. The trigger on order_lines
-- names orders in its body, so it is dropped before and created again after: SQLite refuses
-- the rename while a trigger refers to a table that is not there.
DROP TRIGGER order_lines_total;
CREATE TABLE orders_new (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    status      TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'paid', 'shipped', 'cancelled', 'refunded')),
    total       INTEGER NOT NULL DEFAULT 0,
    placed_at   TEXT NOT NULL
);
INSERT INTO orders_new (id, customer_id, status, total, placed_at)
SELECT id, customer_id, status, total, coalesce(placed_at, '1970-01-01T00:00:00Z') FROM orders;
DROP TABLE orders;
ALTER TABLE orders_new RENAME TO orders;
CREATE INDEX orders_placed_at ON orders (placed_at);
CREATE UNIQUE INDEX orders_one_open_per_customer ON orders (customer_id) WHERE status = 'new';
CREATE TRIGGER order_lines_total AFTER INSERT ON order_lines
BEGIN
    UPDATE orders
       SET total = total + CASE WHEN new.quantity > 0 THEN new.quantity * new.price ELSE 0 END
     WHERE id = new.order_id;
END;
