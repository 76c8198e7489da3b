-- Sessions end after 14 days unused: `last_seen` is when one was last used (written at most once
-- a minute). A pairing code burns after 5 misses: a code is found by its first half
-- (`lookup_hash`), and each wrong second half counts in `misses`.
ALTER TABLE session ADD COLUMN last_seen TEXT NOT NULL DEFAULT '';
UPDATE session SET last_seen = created_at;
ALTER TABLE pairing ADD COLUMN lookup_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE pairing ADD COLUMN misses BIGINT NOT NULL DEFAULT 0;
CREATE INDEX pairing_lookup ON pairing (lookup_hash);
