-- Tenders of every kind (issue 11): each kept amount also names its brand ('' for cash and for
-- the rows of older sales), and the per-day sums are kept per method and brand. The store's
-- payment settings (fee rates, enabled methods, its QR provider) are JSON (NULL: none set),
-- sent to the registers when their version is newer than the registers' (like `settings`).
ALTER TABLE sale_tender ADD COLUMN brand TEXT NOT NULL DEFAULT '';
ALTER TABLE store ADD COLUMN payment_settings TEXT;
ALTER TABLE store ADD COLUMN payment_settings_version BIGINT NOT NULL DEFAULT 0;

-- Rebuilt like SQLite's, so both keep the same table.
CREATE TABLE day_tender_branded (
    store_id TEXT NOT NULL REFERENCES store (id),
    business_date TEXT NOT NULL,
    method TEXT NOT NULL,
    brand TEXT NOT NULL DEFAULT '',
    amount BIGINT NOT NULL,
    PRIMARY KEY (store_id, business_date, method, brand)
);
INSERT INTO day_tender_branded (store_id, business_date, method, brand, amount)
SELECT store_id, business_date, method, '', amount FROM day_tender;
DROP TABLE day_tender;
ALTER TABLE day_tender_branded RENAME TO day_tender;
