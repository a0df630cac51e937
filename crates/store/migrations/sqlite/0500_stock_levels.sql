-- Stock levels to push to Amazon (SQLite dialect): the latest quantity per SKU of a connection, with the revision
-- Amazon accepted last and the one in flight. Keep in step with ../postgres/0500_stock_levels.sql.

-- A stock level is a state, not an event: setting a different quantity makes a new `revision`; a worker pushes the
-- current revision (MWS: an inventory feed whose result is polled, `submitted_revision`, its quantity and `feed_submission_id` while
-- it is processed; SP-API: patchListingsItem, answered at once) and Amazon's answer records `pushed_revision`.
-- Like orders and shipments, a stock level belongs to its connection: removing the connection deletes its rows.
CREATE TABLE stock_levels (
    connection_id      TEXT    NOT NULL REFERENCES connections (id),
    sku                TEXT    NOT NULL,
    quantity           INTEGER NOT NULL CHECK (quantity >= 0),
    revision           INTEGER NOT NULL CHECK (revision >= 1),
    pushed_revision    INTEGER NOT NULL DEFAULT 0 CHECK (pushed_revision >= 0 AND pushed_revision <= revision),
    pushed_quantity    INTEGER CHECK (pushed_quantity >= 0),
    state              TEXT    NOT NULL CHECK (state IN ('pending', 'submitted', 'pushed', 'rejected')),
    submitted_revision INTEGER CHECK (submitted_revision >= 1 AND submitted_revision <= revision),
    submitted_quantity INTEGER CHECK (submitted_quantity >= 0),
    feed_submission_id TEXT,
    attempts           INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error         TEXT,
    next_attempt_ms    INTEGER NOT NULL,
    updated_at_ms      INTEGER NOT NULL,
    pushed_at_ms       INTEGER,
    PRIMARY KEY (connection_id, sku),
    -- Something was pushed exactly when its revision, quantity and time are known.
    CHECK ((pushed_revision = 0) = (pushed_quantity IS NULL)),
    CHECK ((pushed_revision = 0) = (pushed_at_ms IS NULL)),
    -- A revision is in flight with the feed that carries it.
    CHECK ((submitted_revision IS NULL) = (feed_submission_id IS NULL)),
    CHECK ((submitted_revision IS NULL) = (submitted_quantity IS NULL)),
    -- Submitted and pushed speak of the current revision; a rejection says why.
    CHECK (state <> 'submitted' OR submitted_revision = revision),
    CHECK (state <> 'pushed' OR pushed_revision = revision),
    CHECK (state <> 'rejected' OR last_error IS NOT NULL)
) STRICT;

-- The worker's "what is due now" lookup.
CREATE INDEX stock_levels_due ON stock_levels (state, next_attempt_ms);
