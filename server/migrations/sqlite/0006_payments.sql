-- Cashless payments through a provider (issue 11). A payment's id is the tablet's tender id and
-- the provider's merchantPaymentId; its row is written before the provider is called, so a
-- restart finds every payment that may have reached the provider. `sale_id` is set when the sale
-- that used the payment is synced (at most one sale per payment). `abandon` (0/1) asks the
-- payment's task to give the payment up. A refund's id is its merchantRefundId.
-- `store_provider.secret_sealed` is the API secret sealed with AES-256-GCM under the server's
-- secrets key (never exported or backed up in clear, never answered).
CREATE TABLE payment (
    id TEXT PRIMARY KEY,
    store_id TEXT NOT NULL REFERENCES store (id),
    device_id TEXT NOT NULL,
    sale_id_hint TEXT NOT NULL,
    sale_id TEXT UNIQUE,
    mode TEXT NOT NULL,
    provider TEXT NOT NULL,
    amount BIGINT NOT NULL,
    state TEXT NOT NULL,
    code_id TEXT,
    qr_payload TEXT,
    expires_at TEXT,
    provider_payment_id TEXT,
    last_code TEXT,
    error TEXT,
    abandon BIGINT NOT NULL DEFAULT 0,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_check_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX payment_store_state ON payment (store_id, state);

CREATE TABLE payment_refund (
    id TEXT PRIMARY KEY,
    payment_id TEXT NOT NULL REFERENCES payment (id),
    store_id TEXT NOT NULL REFERENCES store (id),
    amount BIGINT NOT NULL,
    state TEXT NOT NULL,
    last_code TEXT,
    error TEXT,
    sale_id TEXT UNIQUE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX payment_refund_payment ON payment_refund (payment_id);

CREATE TABLE store_provider (
    store_id TEXT NOT NULL REFERENCES store (id),
    provider TEXT NOT NULL,
    environment TEXT NOT NULL,
    base_url TEXT,
    api_key TEXT NOT NULL,
    merchant_id TEXT,
    secret_sealed TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (store_id, provider)
);
