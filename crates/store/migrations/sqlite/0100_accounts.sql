-- Accounts of the web app (SQLite dialect): users, their sessions, merchants' API keys and failed sign-ins for
-- throttling. Keep in step with ../postgres/0100_accounts.sql.

CREATE TABLE users (
    id            TEXT    NOT NULL PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('operator', 'merchant')),
    merchant_id   TEXT    REFERENCES merchants (id),
    language      TEXT    NOT NULL CHECK (language IN ('ja', 'en')),
    created_at_ms INTEGER NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    CHECK ((role = 'merchant') = (merchant_id IS NOT NULL))
) STRICT;

CREATE INDEX users_by_merchant ON users (merchant_id);

-- `id` is the SHA-256 (hex) of the random cookie value; the cookie value itself is never stored.
CREATE TABLE sessions (
    id            TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    last_seen_ms  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);

-- `hash` is the SHA-256 (hex) of the whole key; only `prefix` (its first 8 characters) is ever shown again.
CREATE TABLE api_keys (
    id            TEXT    NOT NULL PRIMARY KEY,
    merchant_id   TEXT    NOT NULL REFERENCES merchants (id),
    name          TEXT    NOT NULL,
    prefix        TEXT    NOT NULL,
    hash          TEXT    NOT NULL UNIQUE,
    created_at_ms INTEGER NOT NULL,
    revoked_at_ms INTEGER,
    last_used_ms  INTEGER
) STRICT;

CREATE INDEX api_keys_by_merchant ON api_keys (merchant_id, created_at_ms);

-- One row per failed sign-in, keyed by `login:<e-mail>` or `ip:<address>`.
CREATE TABLE login_attempts (
    login TEXT    NOT NULL,
    at_ms INTEGER NOT NULL
) STRICT;

CREATE INDEX login_attempts_by_login ON login_attempts (login, at_ms);
CREATE INDEX login_attempts_by_time ON login_attempts (at_ms);
