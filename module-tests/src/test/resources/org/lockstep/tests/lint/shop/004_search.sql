/* Full-text search over products, kept in sync by triggers. */
CREATE VIRTUAL TABLE products_fts USING fts5(sku UNINDEXED, title);

CREATE TRIGGER products_fts_insert AFTER INSERT ON products BEGIN
    INSERT INTO products_fts (sku, title) VALUES (new.sku, new.title);
END;
CREATE TRIGGER products_fts_delete AFTER DELETE ON products BEGIN
    INSERT INTO products_fts (products_fts, sku, title) VALUES ('delete', old.sku, old.title);
END;
