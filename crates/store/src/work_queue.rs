//! The import queue: when each connection's next import (or, while Amazon refuses it, its next re-check) is due,
//! kept in the store so that the database decides which worker does what.
//!
//! A worker *claims* due connections: one statement picks the oldest due ones, one merchant's connections taking
//! turns with another's, and pushes their due time past the claim's end, so no other worker sees them due while
//! the claimant works. On PostgreSQL the pick skips rows another worker's claim holds locked at that moment; on
//! SQLite write statements exclude each other. When its work ends the claimant schedules the next due time
//! ([`Store::schedule_import`]); a worker that stops hands back what it claimed but did not start (due at once); a
//! worker that crashed leaves its claims due again when the claim ends.
//!
//! Reading what is due goes by the `connections_import_due` index, so a pass costs what is due, not the number of
//! connections.

use jiff::{SignedDuration, Timestamp};
use sellerlink_domain::ids::ConnectionId;

use crate::codec::{Column, millis};
use crate::engine::{Engine, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// How many due connections per connection asked for a claim looks at first to find the merchants' turns (see
/// [`Store::claim_due_imports`]).
pub const CLAIM_LOOK_AHEAD: i64 = 16;

/// How much import work is due: for the operator's overview and the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportQueue {
    /// Connections whose import or re-check is due (claimed ones are not: they are being worked on).
    pub due: u64,
    /// The due time of the one waiting longest, if any is due.
    pub oldest_due: Option<Timestamp>,
}

impl Store {
    /// Claims up to `limit` connections due at `now` until `now + claim` (their due time moves there): the oldest
    /// due first, taking one connection of each merchant in turn, so that a merchant with thousands of connections
    /// never holds back one with a single connection. Several workers claiming at once never get the same
    /// connection.
    pub async fn claim_due_imports(
        &self,
        now: Timestamp,
        claim: SignedDuration,
        limit: u32,
    ) -> StoreResult<Vec<ConnectionId>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let until = claim_end(now, claim)?;
        let lock = match self.engine() {
            Engine::Postgres => " FOR UPDATE OF c SKIP LOCKED",
            Engine::Sqlite => "",
        };
        // Each merchant's due connections are numbered by due time (`turn`); taking turn 1 of every merchant
        // before any turn 2 is the round-robin. Numbering every due connection for every claim would cost a pass
        // over n due connections O(n²), so the numbering looks only at the oldest `ahead` due ones, which is exact
        // whenever they hold `limit` merchants (the oldest due connection of any other merchant is younger than
        // all of them) or are all that is due. Only when a few merchants' backlog fills the look-ahead are all
        // due connections numbered. The outer condition re-checks the due time on the row as it is when it is
        // updated, so a connection another worker just scheduled is not claimed again.
        let sql = format!(
            "UPDATE connections SET import_due_ms = $1 WHERE id IN (\
                WITH ahead AS (\
                    SELECT id, merchant_id, import_due_ms FROM connections WHERE import_due_ms <= $2 \
                    ORDER BY import_due_ms, id LIMIT $4\
                ), \
                exact AS (\
                    SELECT COUNT(*) < $4 OR COUNT(DISTINCT merchant_id) >= $3 AS enough FROM ahead\
                ), \
                candidates AS (\
                    SELECT id, merchant_id, import_due_ms FROM ahead WHERE (SELECT enough FROM exact) \
                    UNION ALL \
                    SELECT id, merchant_id, import_due_ms FROM connections \
                    WHERE import_due_ms <= $2 AND NOT (SELECT enough FROM exact)\
                ), \
                ranked AS (\
                    SELECT id, ROW_NUMBER() OVER (PARTITION BY merchant_id ORDER BY import_due_ms, id) AS turn \
                    FROM candidates\
                ) \
                SELECT c.id FROM connections c JOIN ranked ON ranked.id = c.id \
                ORDER BY ranked.turn, c.import_due_ms, c.id LIMIT $3{lock}\
             ) AND import_due_ms <= $2 RETURNING id"
        );
        let ids: Vec<String> = on_pool!(&self.pool, |pool| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(millis(until))
                .bind(millis(now))
                .bind(i64::from(limit))
                .bind(i64::from(limit).saturating_mul(CLAIM_LOOK_AHEAD))
                .fetch_all(pool)
                .await?
        });
        ids.iter()
            .map(|id| Column::new("connections", "id").parse(ConnectionId::parse(id)))
            .collect()
    }

    /// Claims one connection like [`Store::claim_due_imports`] if it is due at `now`; returns whether it did.
    pub async fn claim_import(
        &self,
        connection: ConnectionId,
        now: Timestamp,
        claim: SignedDuration,
    ) -> StoreResult<bool> {
        const SQL: &str =
            "UPDATE connections SET import_due_ms = $1 WHERE id = $2 AND import_due_ms <= $3";
        self.move_import_due(SQL, connection, now, claim).await
    }

    /// Keeps a running import's claim from ending: moves the connection's due time to `now + claim` if it lies in
    /// the future but before that (claimed, or scheduled soon). Called whenever the import renews its lease, so a
    /// claim lasts as long as the import does and no other worker picks the connection up meanwhile; a connection
    /// due now (not claimed) or scheduled later is left alone. Returns whether the due time moved.
    pub async fn extend_import_claim(
        &self,
        connection: ConnectionId,
        now: Timestamp,
        claim: SignedDuration,
    ) -> StoreResult<bool> {
        const SQL: &str = "UPDATE connections SET import_due_ms = $1 \
            WHERE id = $2 AND import_due_ms > $3 AND import_due_ms < $1";
        self.move_import_due(SQL, connection, now, claim).await
    }

    /// Runs `sql`, binding the claim's end (`now + claim`), the connection and `now` as `$1`–`$3`; returns
    /// whether the connection's due time moved.
    async fn move_import_due(
        &self,
        sql: &'static str,
        connection: ConnectionId,
        now: Timestamp,
        claim: SignedDuration,
    ) -> StoreResult<bool> {
        let until = claim_end(now, claim)?;
        let moved = on_pool!(&self.pool, |pool| {
            sqlx::query(sql)
                .bind(millis(until))
                .bind(connection.to_string())
                .bind(millis(now))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(moved == 1)
    }

    /// Sets when the connection's next import (or re-check) is due. Unknown connections (removed meanwhile) are
    /// ignored.
    pub async fn schedule_import(
        &self,
        connection: ConnectionId,
        due: Timestamp,
    ) -> StoreResult<()> {
        const SQL: &str = "UPDATE connections SET import_due_ms = $1 WHERE id = $2";
        on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(millis(due))
                .bind(connection.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(())
    }

    /// When the connection's next import (or re-check) is due.
    pub async fn import_due(&self, connection: ConnectionId) -> StoreResult<Timestamp> {
        const SQL: &str = "SELECT import_due_ms FROM connections WHERE id = $1";
        let due: Option<i64> = on_pool!(&self.pool, |pool| {
            sqlx::query_scalar(SQL)
                .bind(connection.to_string())
                .fetch_optional(pool)
                .await?
        });
        let due = due.ok_or_else(|| StoreError::not_found("connection", connection))?;
        Column::new("connections", "import_due_ms").instant(due)
    }

    /// The connections due at `now`, oldest due first, at most `limit`: a read, claiming nothing.
    pub async fn due_imports(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<ConnectionId>> {
        const SQL: &str = "SELECT id FROM connections WHERE import_due_ms <= $1 \
            ORDER BY import_due_ms, id LIMIT $2";
        let ids: Vec<String> = on_pool!(&self.pool, |pool| {
            sqlx::query_scalar(SQL)
                .bind(millis(now))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        ids.iter()
            .map(|id| Column::new("connections", "id").parse(ConnectionId::parse(id)))
            .collect()
    }

    /// When the next connection falls due (perhaps already), if there is any connection: what a worker sleeps
    /// until.
    pub async fn next_import_due(&self) -> StoreResult<Option<Timestamp>> {
        const SQL: &str = "SELECT MIN(import_due_ms) FROM connections";
        let due: Option<i64> = on_pool!(&self.pool, |pool| {
            sqlx::query_scalar(SQL).fetch_one(pool).await?
        });
        due.map(|due| Column::new("connections", "import_due_ms").instant(due))
            .transpose()
    }

    /// How much import work is due at `now`.
    pub async fn import_queue(&self, now: Timestamp) -> StoreResult<ImportQueue> {
        const SQL: &str =
            "SELECT COUNT(*), MIN(import_due_ms) FROM connections WHERE import_due_ms <= $1";
        let (due, oldest): (i64, Option<i64>) = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(millis(now))
                .fetch_one(pool)
                .await?
        });
        Ok(ImportQueue {
            due: u64::try_from(due).unwrap_or(0),
            oldest_due: oldest
                .map(|due| Column::new("connections", "import_due_ms").instant(due))
                .transpose()?,
        })
    }
}

/// When a claim made at `now` ends.
fn claim_end(now: Timestamp, claim: SignedDuration) -> StoreResult<Timestamp> {
    if !claim.is_positive() {
        return Err(StoreError::invalid(
            "import claim",
            format!("{claim:#} is not positive; expected a duration such as 5m"),
        ));
    }
    now.checked_add(claim)
        .map_err(|e| StoreError::invalid("import claim", format!("{now} + {claim:#}: {e}")))
}
