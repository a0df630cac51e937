-- Notifications (SQLite dialect): where reminders and access alerts go (channels) and every delivery, planned
-- once per (connection, kind, cycle, offset, channel). Keep in step with ../postgres/0200_notifications.sql.

-- A channel with no merchant belongs to the operator and receives every merchant's notifications.
-- A webhook's signing secret is sealed by the caller: the store keeps the key id and the sealed bytes only.
CREATE TABLE notification_channels (
    id            TEXT    NOT NULL PRIMARY KEY,
    merchant_id   TEXT    REFERENCES merchants (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('email', 'webhook')),
    address       TEXT    NOT NULL,
    secret_kek_id TEXT,
    secret_blob   BLOB,
    language      TEXT    NOT NULL CHECK (language IN ('ja', 'en')),
    created_at_ms INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    CHECK ((secret_kek_id IS NULL) = (secret_blob IS NULL)),
    CHECK ((kind = 'webhook') = (secret_blob IS NOT NULL))
) STRICT;

CREATE INDEX notification_channels_by_merchant ON notification_channels (merchant_id, created_at_ms, id);

-- `id` is the idempotency key every copy of a delivery carries (webhook id, e-mail Message-ID).
-- `connection_id` has no foreign key: the log outlives a removed connection. Test sends have no connection.
CREATE TABLE notification_deliveries (
    id                 TEXT    NOT NULL PRIMARY KEY,
    connection_id      TEXT,
    merchant_id        TEXT,
    kind               TEXT    NOT NULL
        CHECK (kind IN ('expiry_reminder', 'access_lost', 'access_restored', 'test')),
    cycle_key          TEXT    NOT NULL,
    offset_days        INTEGER,
    channel_id         TEXT    NOT NULL REFERENCES notification_channels (id),
    recipient          TEXT    NOT NULL,
    payload_json       TEXT    NOT NULL,
    state              TEXT    NOT NULL
        CHECK (state IN ('planned', 'sending', 'delivered', 'failed', 'skipped')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT,
    planned_at_ms      INTEGER NOT NULL,
    next_attempt_at_ms INTEGER NOT NULL,
    lease_owner        TEXT,
    lease_until_ms     INTEGER,
    sent_at_ms         INTEGER,
    delivered_at_ms    INTEGER,
    CHECK ((lease_owner IS NULL) = (lease_until_ms IS NULL)),
    CHECK (state <> 'sending' OR lease_owner IS NOT NULL),
    CHECK ((state = 'delivered') = (delivered_at_ms IS NOT NULL))
) STRICT;

-- Planning is `INSERT … ON CONFLICT DO NOTHING` against this key, so it is idempotent across workers.
-- Rows without an offset (access alerts) compare as offset -1; rows without a connection (tests) never collide.
CREATE UNIQUE INDEX notification_deliveries_once
    ON notification_deliveries (connection_id, kind, cycle_key, COALESCE(offset_days, -1), channel_id);
CREATE INDEX notification_deliveries_due ON notification_deliveries (state, next_attempt_at_ms, id);
CREATE INDEX notification_deliveries_by_kind ON notification_deliveries (kind, connection_id, cycle_key);
CREATE INDEX notification_deliveries_by_merchant ON notification_deliveries (merchant_id, planned_at_ms, id);
CREATE INDEX notification_deliveries_by_connection ON notification_deliveries (connection_id, planned_at_ms, id);
CREATE INDEX notification_deliveries_by_channel ON notification_deliveries (channel_id, planned_at_ms, id);
