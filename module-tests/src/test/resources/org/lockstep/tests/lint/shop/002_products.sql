CREATE TABLE products (
    sku        TEXT PRIMARY KEY,
    title      TEXT NOT NULL,
    price      INTEGER NOT NULL CHECK (price >= 0),
    attributes TEXT NOT NULL DEFAULT '{}',
    deleted_at TEXT
) WITHOUT ROWID;

-- A partial index: only live products are looked up by title.
CREATE INDEX products_live_title ON products (title) WHERE deleted_at IS NULL;
-- An expression index over JSON.
CREATE INDEX products_colour ON products (json_extract(attributes, '$.colour'));
-- Case-insensitive lookups.
CREATE INDEX products_title_nocase ON products (lower(title));

INSERT INTO products (sku, title, price) VALUES ('A-1', 'Kettle', 2500), ('B-2', 'Teapot; blue', 1800);
