-- Shipment confirmations (PostgreSQL dialect): an outbox of carrier + tracking number per order, written before the
-- worker sends it to Amazon (MWS: a feed whose result is polled; SP-API: confirmShipment). Keep in step with
-- ../sqlite/0400_shipments.sql.

-- `lines_json` is the list of order items shipped: [{"order_item_id": "…", "quantity": n}, …].
-- Like orders, a shipment belongs to its connection: removing the connection deletes its shipments.
CREATE TABLE shipments (
    id                 TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    connection_id      TEXT COLLATE "C" NOT NULL REFERENCES connections (id),
    amazon_order_id    TEXT COLLATE "C" NOT NULL,
    carrier            TEXT   NOT NULL,
    shipping_method    TEXT,
    tracking_number    TEXT COLLATE "C" NOT NULL,
    ship_date_ms       BIGINT NOT NULL,
    lines_json         TEXT   NOT NULL,
    state              TEXT   NOT NULL CHECK (state IN ('queued', 'submitted', 'confirmed', 'rejected')),
    feed_submission_id TEXT COLLATE "C",
    attempts           BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error         TEXT,
    next_attempt_ms    BIGINT NOT NULL,
    created_at_ms      BIGINT NOT NULL,
    updated_at_ms      BIGINT NOT NULL,
    finished_at_ms     BIGINT,
    UNIQUE (connection_id, amazon_order_id, tracking_number),
    CHECK ((state IN ('confirmed', 'rejected')) = (finished_at_ms IS NOT NULL))
);

-- The worker's "what is due now" lookup, the longest-waiting first.
CREATE INDEX shipments_due ON shipments (state, next_attempt_ms, id);
-- A connection's shipments, newest first.
CREATE INDEX shipments_by_connection ON shipments (connection_id, created_at_ms, id);
