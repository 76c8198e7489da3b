-- When the store's settings were last set: a synced sale newer than that must print the
-- store's registration number (NULL: never since the store was created). The per-day sums need
-- no check here: BIGINT refuses an overflowing sum itself.
ALTER TABLE store ADD COLUMN settings_changed_at TEXT;
