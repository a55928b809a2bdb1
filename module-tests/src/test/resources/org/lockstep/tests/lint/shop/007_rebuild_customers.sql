-- A rebuild that renames the old table away first. With foreign keys to customers, SQLite
-- would point them at customers_old; legacy_alter_table keeps them on the name "customers".
PRAGMA legacy_alter_table = ON;
ALTER TABLE customers RENAME TO customers_old;
CREATE TABLE customers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    email      TEXT NOT NULL COLLATE NOCASE UNIQUE,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    phone      TEXT
);
INSERT INTO customers (id, email, name, created_at) SELECT id, email, name, created_at FROM customers_old;
DROP TABLE customers_old;
PRAGMA legacy_alter_table = OFF;
