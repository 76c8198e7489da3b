-- The shop's profile (what a qualified simplified invoice prints) and its catalog.
-- Yen are INTEGER: sqlx's decimal support does not cover SQLite, and yen have no fraction.
CREATE TABLE shop (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    registration_number TEXT NOT NULL,
    pricing TEXT NOT NULL DEFAULT 'tax_included' CHECK (pricing IN ('tax_included', 'tax_excluded')),
    rounding TEXT NOT NULL DEFAULT 'floor' CHECK (rounding IN ('floor', 'half_up', 'ceil')),
    receipt_footer TEXT NOT NULL DEFAULT ''
);

CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    -- The id devices know the item by (made where the item was first entered).
    uuid TEXT NOT NULL UNIQUE,
    shop_id INTEGER NOT NULL REFERENCES shop (id),
    name TEXT NOT NULL,
    kana TEXT NOT NULL DEFAULT '',
    price INTEGER NOT NULL CHECK (price >= 0),
    tax_class TEXT NOT NULL CHECK (tax_class IN ('standard', 'food', 'reduced', 'alcohol', 'exempt')),
    category TEXT NOT NULL DEFAULT '',
    barcode TEXT,
    color TEXT NOT NULL DEFAULT '',
    open_price INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX item_shop ON item (shop_id);
