-- One-time OAuth `state` values of "Connect with Amazon" (SP-API website and re-authorization workflows),
-- PostgreSQL dialect. Keep in step with ../sqlite/0300_oauth_states.sql.
--
-- `state_hash` is the SHA-256 (hex) of the state sent to Amazon and `session_hash` that of the browser session it
-- is bound to; neither value itself is stored. A state is single use (`used_at_ms`) and short-lived
-- (`expires_at_ms`).

CREATE TABLE oauth_states (
    state_hash         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    session_hash       TEXT COLLATE "C" NOT NULL,
    merchant_id        TEXT COLLATE "C" NOT NULL REFERENCES merchants (id),
    marketplace_id     TEXT   NOT NULL,
    selling_partner_id TEXT,
    created_at_ms      BIGINT NOT NULL,
    expires_at_ms      BIGINT NOT NULL,
    used_at_ms         BIGINT,
    CHECK (expires_at_ms > created_at_ms)
);

CREATE INDEX oauth_states_by_expiry ON oauth_states (expires_at_ms);
