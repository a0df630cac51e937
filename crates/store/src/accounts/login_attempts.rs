//! Failed sign-ins, counted per login and per client address to throttle password guessing.

use std::fmt;
use std::net::IpAddr;

use jiff::Timestamp;

use crate::codec::{Column, millis};
use crate::engine::on_pool;
use crate::error::StoreResult;
use crate::store::Store;

/// What failed sign-ins are counted by: `login:<what was typed>` or `ip:<client address>`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ThrottleKey(String);

impl ThrottleKey {
    /// The key of a typed login (trimmed, lower-cased, at most 254 characters, so spellings of one address share
    /// a counter and nobody can store an unbounded string).
    pub fn login(typed: &str) -> Self {
        let normal: String = typed
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_control())
            .take(254)
            .collect();
        Self(format!("login:{normal}"))
    }

    /// The key of a client address.
    pub fn ip(address: IpAddr) -> Self {
        Self(format!("ip:{address}"))
    }

    /// The stored key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ThrottleKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ThrottleKey({:?})", self.0)
    }
}

impl Store {
    /// Records one failed sign-in under each key, at `at`.
    pub async fn record_login_failure(
        &self,
        keys: &[ThrottleKey],
        at: Timestamp,
    ) -> StoreResult<()> {
        const SQL: &str = "INSERT INTO login_attempts (login, at_ms) VALUES ($1, $2)";
        for key in keys {
            on_pool!(&self.pool, |pool| {
                sqlx::query(SQL)
                    .bind(key.as_str().to_owned())
                    .bind(millis(at))
                    .execute(pool)
                    .await?
                    .rows_affected()
            });
        }
        Ok(())
    }

    /// Failed sign-ins under `key` at or after `since`.
    pub async fn login_failures_since(
        &self,
        key: &ThrottleKey,
        since: Timestamp,
    ) -> StoreResult<u64> {
        const SQL: &str = "SELECT COUNT(*) FROM login_attempts WHERE login = $1 AND at_ms >= $2";
        let count: i64 = on_pool!(&self.pool, |pool| {
            sqlx::query_scalar(SQL)
                .bind(key.as_str().to_owned())
                .bind(millis(since))
                .fetch_one(pool)
                .await?
        });
        Column::new("login_attempts", "COUNT(*)").count(count)
    }

    /// Forgets the failures under `key` (after a successful sign-in).
    pub async fn clear_login_failures(&self, key: &ThrottleKey) -> StoreResult<()> {
        const SQL: &str = "DELETE FROM login_attempts WHERE login = $1";
        on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(key.as_str().to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(())
    }

    /// Deletes failures recorded before `before` (they no longer count); returns how many.
    pub async fn prune_login_failures(&self, before: Timestamp) -> StoreResult<u64> {
        const SQL: &str = "DELETE FROM login_attempts WHERE at_ms < $1";
        Ok(on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(millis(before))
                .execute(pool)
                .await?
                .rows_affected()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_share_a_key_across_spellings() {
        assert_eq!(ThrottleKey::login(" A@B.jp "), ThrottleKey::login("a@b.jp"));
        assert_eq!(ThrottleKey::login("x").as_str(), "login:x");
        assert_eq!(
            ThrottleKey::login(&"y".repeat(1000)).as_str().len(),
            6 + 254
        );
        assert_eq!(
            ThrottleKey::ip("127.0.0.1".parse().unwrap()).as_str(),
            "ip:127.0.0.1"
        );
    }
}
