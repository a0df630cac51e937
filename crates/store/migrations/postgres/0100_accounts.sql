-- Accounts of the web app (PostgreSQL dialect): users, their sessions, merchants' API keys and failed sign-ins for
-- throttling. Keep in step with ../sqlite/0100_accounts.sql.

CREATE TABLE users (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('operator', 'merchant')),
    merchant_id   TEXT COLLATE "C" REFERENCES merchants (id),
    language      TEXT    NOT NULL CHECK (language IN ('ja', 'en')),
    created_at_ms BIGINT  NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK ((role = 'merchant') = (merchant_id IS NOT NULL))
);

CREATE INDEX users_by_merchant ON users (merchant_id);

-- `id` is the SHA-256 (hex) of the random cookie value; the cookie value itself is never stored.
CREATE TABLE sessions (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_id       TEXT COLLATE "C" NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token    TEXT   NOT NULL,
    created_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    last_seen_ms  BIGINT NOT NULL
);

CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);

-- `hash` is the SHA-256 (hex) of the whole key; only `prefix` (its first 8 characters) is ever shown again.
CREATE TABLE api_keys (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    merchant_id   TEXT COLLATE "C" NOT NULL REFERENCES merchants (id),
    name          TEXT   NOT NULL,
    prefix        TEXT   NOT NULL,
    hash          TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at_ms BIGINT NOT NULL,
    revoked_at_ms BIGINT,
    last_used_ms  BIGINT
);

CREATE INDEX api_keys_by_merchant ON api_keys (merchant_id, created_at_ms);

-- One row per failed sign-in, keyed by `login:<e-mail>` or `ip:<address>`.
CREATE TABLE login_attempts (
    login TEXT COLLATE "C" NOT NULL,
    at_ms BIGINT NOT NULL
);

CREATE INDEX login_attempts_by_login ON login_attempts (login, at_ms);
CREATE INDEX login_attempts_by_time ON login_attempts (at_ms);
