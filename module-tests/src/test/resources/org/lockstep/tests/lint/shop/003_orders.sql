CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    status      TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
    total       INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE order_lines (
    order_id INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    sku      TEXT NOT NULL REFERENCES products (sku),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    price    INTEGER NOT NULL,
    PRIMARY KEY (order_id, sku)
) WITHOUT ROWID;
CREATE INDEX order_lines_sku ON order_lines (sku);
CREATE UNIQUE INDEX orders_one_open_per_customer ON orders (customer_id) WHERE status = 'new';

-- Keep the order's total current; CASE ... END and semicolons inside the body.
CREATE TRIGGER order_lines_total AFTER INSERT ON order_lines
BEGIN
    UPDATE orders
       SET total = total + CASE WHEN new.quantity > 0 THEN new.quantity * new.price ELSE 0 END
     WHERE id = new.order_id;
END;
