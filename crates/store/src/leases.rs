//! Leases: a named lock with an owner and an expiry, so that several workers never sync one connection at once.

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::ids::ConnectionId;

use crate::codec::{Column, millis};
use crate::engine::on_pool;
use crate::error::{StoreError, StoreResult};
use crate::names::{NameError, NameRule, name_plumbing};
use crate::store::Store;

fn printable(c: char) -> bool {
    !c.is_control() && !c.is_whitespace()
}

/// What a lease locks, e.g. `sync:<connection id>`: 1–200 printable characters without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LeaseName(String);

const NAME_RULE: NameRule = NameRule {
    field: "lease name",
    max_chars: 200,
    allowed: printable,
    expected: "1–200 printable characters without spaces, e.g. sync:01890a5d-ac96-774b-bcce-b302099a8057",
};

impl LeaseName {
    /// The lease of a connection's sync: `sync:<connection id>`.
    pub fn sync(connection_id: ConnectionId) -> Self {
        Self(format!("sync:{connection_id}"))
    }

    /// Parses a lease name.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        NAME_RULE.check(input).map(Self)
    }
}
name_plumbing!(LeaseName);

/// Who holds a lease, e.g. `worker@host:pid`: 1–200 printable characters without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LeaseOwner(String);

const OWNER_RULE: NameRule = NameRule {
    field: "lease owner",
    max_chars: 200,
    allowed: printable,
    expected: "1–200 printable characters without spaces, e.g. worker@node-1:4242",
};

impl LeaseOwner {
    /// Parses an owner name.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        OWNER_RULE.check(input).map(Self)
    }
}
name_plumbing!(LeaseOwner);

/// A lease as stored. It may have expired: compare `expires_at` with the clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    /// What it locks.
    pub name: LeaseName,
    /// Who took it last.
    pub owner: LeaseOwner,
    /// From this instant on, anyone may take it.
    pub expires_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct LeaseRow {
    name: String,
    owner: String,
    expires_at_ms: i64,
}

impl Store {
    /// Takes the lease until `now + ttl` if it is free, expired, or already `owner`'s (then it is extended).
    /// Returns whether `owner` holds it now. Atomic on both engines: of several workers racing for a free lease
    /// exactly one gets it.
    pub async fn try_acquire_lease(
        &self,
        name: &LeaseName,
        owner: &LeaseOwner,
        now: Timestamp,
        ttl: SignedDuration,
    ) -> StoreResult<bool> {
        if !ttl.is_positive() {
            return Err(StoreError::invalid(
                "lease ttl",
                format!("{ttl:#} is not positive; expected a duration such as 60s"),
            ));
        }
        let expires_at = now
            .checked_add(ttl)
            .map_err(|e| StoreError::invalid("lease ttl", format!("{now} + {ttl:#}: {e}")))?;
        const SQL: &str = "INSERT INTO leases (name, owner, expires_at_ms) VALUES ($1, $2, $3) \
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at_ms = excluded.expires_at_ms \
            WHERE leases.expires_at_ms <= $4 OR leases.owner = excluded.owner";
        let taken = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(name.as_str().to_owned())
                .bind(owner.as_str().to_owned())
                .bind(millis(expires_at))
                .bind(millis(now))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(taken == 1)
    }

    /// Gives the lease up if `owner` holds it; returns whether it did.
    pub async fn release_lease(&self, name: &LeaseName, owner: &LeaseOwner) -> StoreResult<bool> {
        const SQL: &str = "DELETE FROM leases WHERE name = $1 AND owner = $2";
        let released = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(name.as_str().to_owned())
                .bind(owner.as_str().to_owned())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(released == 1)
    }

    /// The lease as stored, if anyone took it and did not release it.
    pub async fn lease(&self, name: &LeaseName) -> StoreResult<Option<Lease>> {
        const SQL: &str = "SELECT name, owner, expires_at_ms FROM leases WHERE name = $1";
        let row: Option<LeaseRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(name.as_str().to_owned())
                .fetch_optional(pool)
                .await?
        });
        row.map(|row| {
            let col = |name| Column::new("leases", name);
            Ok(Lease {
                name: col("name").parse(LeaseName::parse(&row.name))?,
                owner: col("owner").parse(LeaseOwner::parse(&row.owner))?,
                expires_at: col("expires_at_ms").instant(row.expires_at_ms)?,
            })
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_owners_are_checked() {
        let id = ConnectionId::parse("01890a5d-ac96-774b-bcce-b302099a8057").unwrap();
        assert_eq!(
            LeaseName::sync(id).as_str(),
            "sync:01890a5d-ac96-774b-bcce-b302099a8057"
        );
        assert!(LeaseName::parse("sync: x").is_err());
        let err = LeaseOwner::parse("").unwrap_err().to_string();
        assert!(err.starts_with("lease owner: is empty; expected"), "{err}");
        assert_eq!(LeaseOwner::parse(" w1 ").unwrap().to_string(), "w1");
    }
}
