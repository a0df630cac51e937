-- sellerlink store, PostgreSQL dialect. Instants are BIGINT epoch milliseconds (UTC), civil dates TEXT YYYY-MM-DD,
-- flags BOOLEAN, ids TEXT (hyphenated UUIDs, Amazon ids) with byte-order collation so both engines sort ids alike.
-- Keep in step with ../sqlite/0001_init.sql.

CREATE TABLE merchants (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name          TEXT   NOT NULL UNIQUE,
    language      TEXT   NOT NULL CHECK (language IN ('ja', 'en')),
    created_at_ms BIGINT NOT NULL
);

CREATE TABLE connections (
    id                   TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    merchant_id          TEXT COLLATE "C" NOT NULL REFERENCES merchants (id),
    api                  TEXT    NOT NULL CHECK (api IN ('mws', 'sp_api')),
    seller_id            TEXT COLLATE "C" NOT NULL,
    developer_id         TEXT,
    region               TEXT,
    marketplaces_json    TEXT    NOT NULL,
    granted_at_ms        BIGINT  NOT NULL,
    last_approved_on     TEXT    NOT NULL,
    expiry_enabled       BOOLEAN NOT NULL,
    expires_on           TEXT COLLATE "C",
    term                 TEXT    NOT NULL,
    time_zone            TEXT    NOT NULL,
    revoked_at_ms        BIGINT,
    access_denied_at_ms  BIGINT,
    access_denied_cause  TEXT,
    access_denied_detail TEXT,
    verified_at_ms       BIGINT,
    created_at_ms        BIGINT  NOT NULL,
    version              BIGINT  NOT NULL,
    credential_kek_id    TEXT COLLATE "C" NOT NULL,
    credential_blob      BYTEA   NOT NULL,
    UNIQUE (api, seller_id),
    CHECK ((api = 'mws' AND developer_id IS NOT NULL AND region IS NULL)
        OR (api = 'sp_api' AND developer_id IS NULL AND region IS NOT NULL)),
    CHECK (expiry_enabled = (expires_on IS NOT NULL)),
    CHECK ((access_denied_at_ms IS NULL) = (access_denied_cause IS NULL)
       AND (access_denied_cause IS NULL) = (access_denied_detail IS NULL))
);

CREATE INDEX connections_by_merchant ON connections (merchant_id, created_at_ms);
CREATE INDEX connections_by_kek ON connections (credential_kek_id);

CREATE TABLE audit_log (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    merchant_id   TEXT COLLATE "C" NOT NULL REFERENCES merchants (id),
    connection_id TEXT COLLATE "C",
    actor         TEXT   NOT NULL,
    action        TEXT   NOT NULL,
    at_ms         BIGINT NOT NULL,
    before_json   TEXT,
    after_json    TEXT
);

CREATE INDEX audit_log_by_time ON audit_log (at_ms, id);
CREATE INDEX audit_log_by_merchant ON audit_log (merchant_id, at_ms, id);
CREATE INDEX audit_log_by_connection ON audit_log (connection_id, at_ms, id);

CREATE TABLE orders (
    connection_id         TEXT COLLATE "C" NOT NULL REFERENCES connections (id),
    amazon_order_id       TEXT COLLATE "C" NOT NULL,
    marketplace_id        TEXT COLLATE "C" NOT NULL,
    status                TEXT COLLATE "C" NOT NULL,
    fulfillment_channel   TEXT COLLATE "C",
    purchase_date_ms      BIGINT NOT NULL,
    last_update_ms        BIGINT NOT NULL,
    order_total_amount    TEXT,
    order_total_currency  TEXT,
    sales_channel         TEXT,
    ship_service_level    TEXT,
    buyer_name            TEXT,
    shipping_address_json TEXT,
    payment_method        TEXT,
    latest_ship_date_ms   BIGINT,
    first_seen_at_ms      BIGINT NOT NULL,
    updated_at_ms         BIGINT NOT NULL,
    PRIMARY KEY (connection_id, amazon_order_id),
    CHECK ((order_total_amount IS NULL) = (order_total_currency IS NULL))
);

-- The web list reads newest purchases first, by connection, by status, or across a merchant's connections.
CREATE INDEX orders_by_connection_purchase ON orders (connection_id, purchase_date_ms, amazon_order_id);
CREATE INDEX orders_by_status_purchase ON orders (status, purchase_date_ms, connection_id, amazon_order_id);
CREATE INDEX orders_by_purchase ON orders (purchase_date_ms, connection_id, amazon_order_id);

CREATE TABLE order_items (
    connection_id           TEXT COLLATE "C" NOT NULL,
    amazon_order_id         TEXT COLLATE "C" NOT NULL,
    order_item_id           TEXT COLLATE "C" NOT NULL,
    position                BIGINT NOT NULL,
    asin                    TEXT   NOT NULL,
    sku                     TEXT,
    title                   TEXT,
    quantity_ordered        BIGINT NOT NULL,
    quantity_shipped        BIGINT NOT NULL,
    item_price_amount       TEXT,
    item_price_currency     TEXT,
    shipping_price_amount   TEXT,
    shipping_price_currency TEXT,
    PRIMARY KEY (connection_id, amazon_order_id, order_item_id),
    FOREIGN KEY (connection_id, amazon_order_id) REFERENCES orders (connection_id, amazon_order_id),
    CHECK ((item_price_amount IS NULL) = (item_price_currency IS NULL)),
    CHECK ((shipping_price_amount IS NULL) = (shipping_price_currency IS NULL))
);

CREATE TABLE sync_watermarks (
    connection_id         TEXT COLLATE "C" NOT NULL REFERENCES connections (id),
    stream                TEXT COLLATE "C" NOT NULL,
    last_updated_after_ms BIGINT NOT NULL,
    updated_at_ms         BIGINT NOT NULL,
    PRIMARY KEY (connection_id, stream)
);

CREATE TABLE sync_runs (
    id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    connection_id  TEXT COLLATE "C" NOT NULL REFERENCES connections (id),
    started_at_ms  BIGINT NOT NULL,
    finished_at_ms BIGINT,
    outcome        TEXT CHECK (outcome IN ('ok', 'paused_access_denied', 'failed')),
    pages          BIGINT NOT NULL DEFAULT 0,
    orders_new     BIGINT NOT NULL DEFAULT 0,
    orders_changed BIGINT NOT NULL DEFAULT 0,
    error_kind     TEXT,
    error_message  TEXT,
    CHECK ((finished_at_ms IS NULL) = (outcome IS NULL))
);

CREATE INDEX sync_runs_by_connection ON sync_runs (connection_id, started_at_ms, id);

CREATE TABLE leases (
    name          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    owner         TEXT   NOT NULL,
    expires_at_ms BIGINT NOT NULL
);
