-- Owners, their stores, paired devices and everything the devices sync. The single demo shop of
-- 0001 becomes a store of the demo owner (loaded again by `--demo`).
-- Conventions shared with the PostgreSQL schema, so one set of queries serves both:
-- ids are UUID text; times are UTC RFC 3339 text with milliseconds ('2026-11-23T23:36:29.123Z'),
-- which sorts as time does; yen and counts are BIGINT; flags are BIGINT 0/1; domain objects are
-- kept whole as JSON in `body` next to the columns that queries need.
DROP TABLE item;
DROP TABLE shop;

CREATE TABLE owner (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES owner (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX session_owner ON session (owner_id);

CREATE TABLE store (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL REFERENCES owner (id),
    settings TEXT NOT NULL,
    settings_version BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX store_owner ON store (owner_id);

CREATE TABLE staff (
    store_id TEXT NOT NULL REFERENCES store (id),
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    removed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, id)
);
CREATE INDEX staff_version ON staff (store_id, version);

CREATE TABLE item (
    store_id TEXT NOT NULL REFERENCES store (id),
    id TEXT NOT NULL,
    position BIGINT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    removed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (store_id, id)
);
CREATE INDEX item_version ON item (store_id, version);

CREATE TABLE pairing (
    code_hash TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES store (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE device (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES store (id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    paired_at TEXT NOT NULL,
    revoked_at TEXT,
    last_sync_at TEXT,
    waiting BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX device_store ON device (store_id);

-- Every outbox entry a device sent, exactly as its chain hashed it; `rejection` is NULL for an
-- accepted entry and the Rejection JSON otherwise.
CREATE TABLE record (
    device_id TEXT NOT NULL REFERENCES device (id),
    seq BIGINT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    store_id TEXT NOT NULL REFERENCES store (id),
    kind TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    body TEXT NOT NULL,
    rejection TEXT,
    received_at TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
);
CREATE INDEX record_store ON record (store_id, received_at);

-- Accepted sales and refunds, with the columns the owner's figures add up.
CREATE TABLE sale (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES store (id),
    device_id TEXT NOT NULL REFERENCES device (id),
    seq BIGINT NOT NULL,
    receipt_no BIGINT NOT NULL,
    kind TEXT NOT NULL,
    original_id TEXT,
    at TEXT NOT NULL,
    business_date TEXT NOT NULL,
    hour BIGINT NOT NULL,
    staff TEXT NOT NULL,
    total BIGINT NOT NULL,
    tax BIGINT NOT NULL,
    discount BIGINT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX sale_store_date ON sale (store_id, business_date);
CREATE INDEX sale_original ON sale (original_id);

CREATE TABLE sale_rate (
    sale_id TEXT NOT NULL REFERENCES sale (id),
    store_id TEXT NOT NULL,
    business_date TEXT NOT NULL,
    rate BIGINT NOT NULL,
    reduced BIGINT NOT NULL,
    gross BIGINT NOT NULL,
    net BIGINT NOT NULL,
    tax BIGINT NOT NULL
);
CREATE INDEX sale_rate_store_date ON sale_rate (store_id, business_date);

CREATE TABLE sale_tender (
    sale_id TEXT NOT NULL REFERENCES sale (id),
    store_id TEXT NOT NULL,
    business_date TEXT NOT NULL,
    method TEXT NOT NULL,
    amount BIGINT NOT NULL
);
CREATE INDEX sale_tender_store_date ON sale_tender (store_id, business_date);

CREATE TABLE sale_line (
    sale_id TEXT NOT NULL REFERENCES sale (id),
    store_id TEXT NOT NULL,
    business_date TEXT NOT NULL,
    line_no BIGINT NOT NULL,
    item_id TEXT,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    qty BIGINT NOT NULL,
    amount BIGINT NOT NULL
);
CREATE INDEX sale_line_store_date ON sale_line (store_id, business_date);

-- The newest version of each shift (later entries with the same id replace it).
CREATE TABLE shift (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES store (id),
    device_id TEXT NOT NULL REFERENCES device (id),
    seq BIGINT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    body TEXT NOT NULL
);
CREATE INDEX shift_store ON shift (store_id, opened_at);
