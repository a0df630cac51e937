-- API keys get scopes (sqlite dialect). Keep in step with ../postgres/0900_api_key_scopes.sql.
--
-- `scopes` lists what a key may do, space-separated (e.g. `orders:read stock:write`; the list is
-- `ApiKeyScope` in crates/store/src/accounts/api_key_scopes.rs). Keys created before 0900 could do everything a
-- merchant's key can; they get every scope, so they keep working as before. Creating keys (and notification
-- channels) is no scope at all: it needs a signed-in session, so a key can no longer mint keys that outlive it.
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL
    DEFAULT 'connections:read connections:manage orders:read shipments:write stock:write notifications:read notifications:manage';
