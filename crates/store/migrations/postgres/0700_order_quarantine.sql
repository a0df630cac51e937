-- Orders Amazon sent that could not be read (PostgreSQL dialect). Keep in step with ../sqlite/0700_order_quarantine.sql.

-- One row per order that did not convert: Amazon's order id as sent (or, without one, a digest of the fragment),
-- why it did not read, the fragment itself (JSON or XML, buyer data removed, at most 16 KiB) and the instant from
-- which a listing contains it again. The import re-reads from that instant until the order converts, which
-- deletes the row in the transaction that stores the order. Like orders, the rows belong to their connection.
CREATE TABLE order_quarantine (
    connection_id  TEXT COLLATE "C" NOT NULL REFERENCES connections (id),
    order_key      TEXT COLLATE "C" NOT NULL,
    reason         TEXT    NOT NULL,
    raw            TEXT    NOT NULL,
    relist_from_ms BIGINT  NOT NULL,
    first_seen_ms  BIGINT  NOT NULL,
    last_seen_ms   BIGINT  NOT NULL,
    attempts       BIGINT  NOT NULL CHECK (attempts >= 1),
    PRIMARY KEY (connection_id, order_key)
);
