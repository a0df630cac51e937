-- sellerlink store, SQLite dialect. Instants are INTEGER epoch milliseconds (UTC), civil dates TEXT YYYY-MM-DD,
-- flags INTEGER 0/1, ids TEXT (hyphenated UUIDs, Amazon ids). Keep in step with ../postgres/0001_init.sql.

CREATE TABLE merchants (
    id            TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    language      TEXT    NOT NULL CHECK (language IN ('ja', 'en')),
    created_at_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE connections (
    id                   TEXT    NOT NULL PRIMARY KEY,
    merchant_id          TEXT    NOT NULL REFERENCES merchants (id),
    api                  TEXT    NOT NULL CHECK (api IN ('mws', 'sp_api')),
    seller_id            TEXT    NOT NULL,
    developer_id         TEXT,
    region               TEXT,
    marketplaces_json    TEXT    NOT NULL,
    granted_at_ms        INTEGER NOT NULL,
    last_approved_on     TEXT    NOT NULL,
    expiry_enabled       INTEGER NOT NULL CHECK (expiry_enabled IN (0, 1)),
    expires_on           TEXT,
    term                 TEXT    NOT NULL,
    time_zone            TEXT    NOT NULL,
    revoked_at_ms        INTEGER,
    access_denied_at_ms  INTEGER,
    access_denied_cause  TEXT,
    access_denied_detail TEXT,
    verified_at_ms       INTEGER,
    created_at_ms        INTEGER NOT NULL,
    version              INTEGER NOT NULL,
    credential_kek_id    TEXT    NOT NULL,
    credential_blob      BLOB    NOT NULL,
    UNIQUE (api, seller_id),
    CHECK ((api = 'mws' AND developer_id IS NOT NULL AND region IS NULL)
        OR (api = 'sp_api' AND developer_id IS NULL AND region IS NOT NULL)),
    CHECK ((expiry_enabled = 1) = (expires_on IS NOT NULL)),
    CHECK ((access_denied_at_ms IS NULL) = (access_denied_cause IS NULL)
       AND (access_denied_cause IS NULL) = (access_denied_detail IS NULL))
) STRICT;

CREATE INDEX connections_by_merchant ON connections (merchant_id, created_at_ms);
CREATE INDEX connections_by_kek ON connections (credential_kek_id);

CREATE TABLE audit_log (
    id            TEXT    NOT NULL PRIMARY KEY,
    merchant_id   TEXT    NOT NULL REFERENCES merchants (id),
    connection_id TEXT,
    actor         TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    at_ms         INTEGER NOT NULL,
    before_json   TEXT,
    after_json    TEXT
) STRICT;

CREATE INDEX audit_log_by_time ON audit_log (at_ms, id);
CREATE INDEX audit_log_by_merchant ON audit_log (merchant_id, at_ms, id);
CREATE INDEX audit_log_by_connection ON audit_log (connection_id, at_ms, id);

CREATE TABLE orders (
    connection_id         TEXT    NOT NULL REFERENCES connections (id),
    amazon_order_id       TEXT    NOT NULL,
    marketplace_id        TEXT    NOT NULL,
    status                TEXT    NOT NULL,
    fulfillment_channel   TEXT,
    purchase_date_ms      INTEGER NOT NULL,
    last_update_ms        INTEGER NOT NULL,
    order_total_amount    TEXT,
    order_total_currency  TEXT,
    sales_channel         TEXT,
    ship_service_level    TEXT,
    buyer_name            TEXT,
    shipping_address_json TEXT,
    payment_method        TEXT,
    latest_ship_date_ms   INTEGER,
    first_seen_at_ms      INTEGER NOT NULL,
    updated_at_ms         INTEGER NOT NULL,
    PRIMARY KEY (connection_id, amazon_order_id),
    CHECK ((order_total_amount IS NULL) = (order_total_currency IS NULL))
) STRICT, WITHOUT ROWID;

-- The web list reads newest purchases first, by connection, by status, or across a merchant's connections.
CREATE INDEX orders_by_connection_purchase ON orders (connection_id, purchase_date_ms, amazon_order_id);
CREATE INDEX orders_by_status_purchase ON orders (status, purchase_date_ms, connection_id, amazon_order_id);
CREATE INDEX orders_by_purchase ON orders (purchase_date_ms, connection_id, amazon_order_id);

CREATE TABLE order_items (
    connection_id           TEXT    NOT NULL,
    amazon_order_id         TEXT    NOT NULL,
    order_item_id           TEXT    NOT NULL,
    position                INTEGER NOT NULL,
    asin                    TEXT    NOT NULL,
    sku                     TEXT,
    title                   TEXT,
    quantity_ordered        INTEGER NOT NULL,
    quantity_shipped        INTEGER NOT NULL,
    item_price_amount       TEXT,
    item_price_currency     TEXT,
    shipping_price_amount   TEXT,
    shipping_price_currency TEXT,
    PRIMARY KEY (connection_id, amazon_order_id, order_item_id),
    FOREIGN KEY (connection_id, amazon_order_id) REFERENCES orders (connection_id, amazon_order_id),
    CHECK ((item_price_amount IS NULL) = (item_price_currency IS NULL)),
    CHECK ((shipping_price_amount IS NULL) = (shipping_price_currency IS NULL))
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_watermarks (
    connection_id         TEXT    NOT NULL REFERENCES connections (id),
    stream                TEXT    NOT NULL,
    last_updated_after_ms INTEGER NOT NULL,
    updated_at_ms         INTEGER NOT NULL,
    PRIMARY KEY (connection_id, stream)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_runs (
    id             TEXT    NOT NULL PRIMARY KEY,
    connection_id  TEXT    NOT NULL REFERENCES connections (id),
    started_at_ms  INTEGER NOT NULL,
    finished_at_ms INTEGER,
    outcome        TEXT CHECK (outcome IN ('ok', 'paused_access_denied', 'failed')),
    pages          INTEGER NOT NULL DEFAULT 0,
    orders_new     INTEGER NOT NULL DEFAULT 0,
    orders_changed INTEGER NOT NULL DEFAULT 0,
    error_kind     TEXT,
    error_message  TEXT,
    CHECK ((finished_at_ms IS NULL) = (outcome IS NULL))
) STRICT;

CREATE INDEX sync_runs_by_connection ON sync_runs (connection_id, started_at_ms, id);

CREATE TABLE leases (
    name          TEXT    NOT NULL PRIMARY KEY,
    owner         TEXT    NOT NULL,
    expires_at_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
