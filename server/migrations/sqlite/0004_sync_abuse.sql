-- When the store's settings were last set: a synced sale newer than that must print the
-- store's registration number (NULL: never since the store was created).
ALTER TABLE store ADD COLUMN settings_changed_at TEXT;

-- The per-day sums stay whole numbers: SQLite turns an integer sum that leaves 64 bits into a
-- REAL, which these checks refuse (the sale that would do it is refused instead). PostgreSQL's
-- BIGINT refuses the overflow itself. SQLite cannot add a check to a table, so each is rebuilt.
CREATE TABLE day_hour_checked (
    store_id TEXT NOT NULL REFERENCES store (id),
    business_date TEXT NOT NULL,
    hour BIGINT NOT NULL,
    gross BIGINT NOT NULL CHECK (typeof(gross) = 'integer'),
    tax BIGINT NOT NULL CHECK (typeof(tax) = 'integer'),
    sales BIGINT NOT NULL CHECK (typeof(sales) = 'integer'),
    refunds BIGINT NOT NULL CHECK (typeof(refunds) = 'integer'),
    refund_total BIGINT NOT NULL CHECK (typeof(refund_total) = 'integer'),
    PRIMARY KEY (store_id, business_date, hour)
);
INSERT INTO day_hour_checked SELECT * FROM day_hour;
DROP TABLE day_hour;
ALTER TABLE day_hour_checked RENAME TO day_hour;

CREATE TABLE day_rate_checked (
    store_id TEXT NOT NULL REFERENCES store (id),
    business_date TEXT NOT NULL,
    rate BIGINT NOT NULL,
    reduced BIGINT NOT NULL,
    gross BIGINT NOT NULL CHECK (typeof(gross) = 'integer'),
    net BIGINT NOT NULL CHECK (typeof(net) = 'integer'),
    tax BIGINT NOT NULL CHECK (typeof(tax) = 'integer'),
    PRIMARY KEY (store_id, business_date, rate, reduced)
);
INSERT INTO day_rate_checked SELECT * FROM day_rate;
DROP TABLE day_rate;
ALTER TABLE day_rate_checked RENAME TO day_rate;

CREATE TABLE day_tender_checked (
    store_id TEXT NOT NULL REFERENCES store (id),
    business_date TEXT NOT NULL,
    method TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (typeof(amount) = 'integer'),
    PRIMARY KEY (store_id, business_date, method)
);
INSERT INTO day_tender_checked SELECT * FROM day_tender;
DROP TABLE day_tender;
ALTER TABLE day_tender_checked RENAME TO day_tender;

CREATE TABLE day_item_checked (
    store_id TEXT NOT NULL REFERENCES store (id),
    business_date TEXT NOT NULL,
    name TEXT NOT NULL,
    qty BIGINT NOT NULL CHECK (typeof(qty) = 'integer'),
    amount BIGINT NOT NULL CHECK (typeof(amount) = 'integer'),
    PRIMARY KEY (store_id, business_date, name)
);
INSERT INTO day_item_checked SELECT * FROM day_item;
DROP TABLE day_item;
ALTER TABLE day_item_checked RENAME TO day_item;
