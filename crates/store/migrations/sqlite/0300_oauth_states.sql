-- One-time OAuth `state` values of "Connect with Amazon" (SP-API website and re-authorization workflows), SQLite
-- dialect. Keep in step with ../postgres/0300_oauth_states.sql.
--
-- `state_hash` is the SHA-256 (hex) of the state sent to Amazon and `session_hash` that of the browser session it
-- is bound to; neither value itself is stored. A state is single use (`used_at_ms`) and short-lived
-- (`expires_at_ms`).

CREATE TABLE oauth_states (
    state_hash         TEXT    NOT NULL PRIMARY KEY,
    session_hash       TEXT    NOT NULL,
    merchant_id        TEXT    NOT NULL REFERENCES merchants (id),
    marketplace_id     TEXT    NOT NULL,
    selling_partner_id TEXT,
    created_at_ms      INTEGER NOT NULL,
    expires_at_ms      INTEGER NOT NULL,
    used_at_ms         INTEGER,
    CHECK (expires_at_ms > created_at_ms)
) STRICT, WITHOUT ROWID;

CREATE INDEX oauth_states_by_expiry ON oauth_states (expires_at_ms);
