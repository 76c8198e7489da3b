-- E-receipts and formal receipts (issue 12).
-- `e_receipt`: the link a synced sale's QR code carries, found by the SHA-256 (hex) of its token
-- so that the table never holds a working link; written with the sale, in the same transaction.
-- A revoked link (`revoked_at` set by the owner) stays revoked: the page answers 404 for good.
CREATE TABLE e_receipt (
    token_hash TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES store (id),
    sale_id TEXT NOT NULL UNIQUE,
    revoked_at TEXT
);

-- `formal_receipt`: every 領収書 a register issued for a sale (copy 1, reissues 2, 3, ...), the
-- record's `body` as JSON; kept like the sales, never changed.
CREATE TABLE formal_receipt (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES store (id),
    device_id TEXT NOT NULL,
    sale_id TEXT NOT NULL,
    copy BIGINT NOT NULL,
    at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX formal_receipt_sale ON formal_receipt (sale_id);
