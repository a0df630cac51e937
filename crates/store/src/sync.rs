//! Sync state: per-stream watermarks (how far the import got) and the history of sync runs.

use std::fmt;

use jiff::Timestamp;
use sellerlink_domain::ids::ConnectionId;
use uuid::Uuid;

use crate::codec::{Column, millis, stored_count};
use crate::engine::{Engine, Handle, Pool, on_conn, on_pool};
use crate::error::{StoreError, StoreResult, is_foreign_key_violation};
use crate::leases::Fence;
use crate::names::{NameError, NameRule, name_plumbing};
use crate::store::Store;

/// What a watermark tracks, e.g. `orders`: 1–40 characters of `a-z`, `0-9`, `_`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SyncStream(String);

const STREAM_RULE: NameRule = NameRule {
    field: "sync stream",
    max_chars: 40,
    allowed: |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_',
    expected: "1–40 characters of a-z, 0-9 and _, e.g. orders",
};

impl SyncStream {
    /// The order import.
    pub fn orders() -> Self {
        Self("orders".to_owned())
    }

    /// Parses a stream name.
    pub fn parse(input: &str) -> Result<Self, NameError> {
        STREAM_RULE.check(input).map(Self)
    }
}
name_plumbing!(SyncStream);

/// How far a stream got: the next import asks Amazon for changes after `last_updated_after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncWatermark {
    /// The stream.
    pub stream: SyncStream,
    /// Everything updated before this instant has been imported.
    pub last_updated_after: Timestamp,
}

/// A watermark as stored, with the time it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatermarkRecord {
    /// The watermark.
    pub watermark: SyncWatermark,
    /// When it was last written.
    pub updated_at: Timestamp,
}

/// The id of one sync run (a UUIDv7, so ids sort by start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SyncRunId(Uuid);

impl SyncRunId {
    /// The underlying UUID.
    pub fn as_uuid(self) -> Uuid {
        self.0
    }
}

impl fmt::Display for SyncRunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

/// How a sync run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncOutcome {
    /// Everything due was imported.
    Ok,
    /// Amazon refused the credential; syncing this connection waits until access is restored.
    PausedAccessDenied,
    /// The run stopped on an error (see [`SyncRunResult::error`]).
    Failed,
}

impl SyncOutcome {
    /// The stored name: `ok`, `paused_access_denied` or `failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::PausedAccessDenied => "paused_access_denied",
            Self::Failed => "failed",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Ok, Self::PausedAccessDenied, Self::Failed]
            .into_iter()
            .find(|o| o.as_str() == text)
    }
}

/// The error that ended a run, classified; the message must not contain a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFailure {
    /// The class of error, e.g. `throttled`, `auth`, `server`, `transport`.
    pub kind: String,
    /// A message for the operator.
    pub message: String,
}

/// What a finished run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRunResult {
    /// When it ended.
    pub finished_at: Timestamp,
    /// How it ended.
    pub outcome: SyncOutcome,
    /// Pages read from Amazon.
    pub pages: u32,
    /// Orders stored for the first time.
    pub orders_new: u64,
    /// Stored orders that changed.
    pub orders_changed: u64,
    /// The error, if it ended on one.
    pub error: Option<SyncFailure>,
}

/// One sync run of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRun {
    /// Its id.
    pub id: SyncRunId,
    /// The connection synced.
    pub connection_id: ConnectionId,
    /// When it started.
    pub started_at: Timestamp,
    /// How it ended; `None` while running (or if the worker died).
    pub result: Option<SyncRunResult>,
}

#[derive(sqlx::FromRow)]
struct WatermarkRow {
    stream: String,
    last_updated_after_ms: i64,
    updated_at_ms: i64,
}

#[derive(sqlx::FromRow)]
struct RunRow {
    id: String,
    connection_id: String,
    started_at_ms: i64,
    finished_at_ms: Option<i64>,
    outcome: Option<String>,
    pages: i64,
    orders_new: i64,
    orders_changed: i64,
    error_kind: Option<String>,
    error_message: Option<String>,
}

impl RunRow {
    fn into_run(self) -> StoreResult<SyncRun> {
        let col = |name| Column::new("sync_runs", name);
        let result = match (self.finished_at_ms, self.outcome.as_deref()) {
            (None, None) => None,
            (Some(finished_at_ms), Some(outcome)) => Some(SyncRunResult {
                finished_at: col("finished_at_ms").instant(finished_at_ms)?,
                outcome: col("outcome").known(SyncOutcome::parse(outcome), outcome)?,
                pages: col("pages").count(self.pages)?,
                orders_new: col("orders_new").count(self.orders_new)?,
                orders_changed: col("orders_changed").count(self.orders_changed)?,
                error: match (self.error_kind, self.error_message) {
                    (Some(kind), Some(message)) => Some(SyncFailure { kind, message }),
                    (None, None) => None,
                    _ => {
                        return Err(col("error_kind")
                            .corrupt("error kind and message are not both set or both empty"));
                    }
                },
            }),
            _ => {
                return Err(col("outcome")
                    .corrupt("finish time and outcome are not both set or both empty"));
            }
        };
        Ok(SyncRun {
            id: SyncRunId(col("id").parse(Uuid::try_parse(&self.id))?),
            connection_id: col("connection_id").parse(ConnectionId::parse(&self.connection_id))?,
            started_at: col("started_at_ms").instant(self.started_at_ms)?,
            result,
        })
    }
}

/// The error kind and message columns of a run's result.
fn failure_columns(result: &SyncRunResult) -> (Option<String>, Option<String>) {
    match &result.error {
        Some(failure) => (Some(failure.kind.clone()), Some(failure.message.clone())),
        None => (None, None),
    }
}

/// A failed insert of a run: an unknown connection is [`StoreError::NotFound`].
fn run_insert_error(error: sqlx::Error, connection_id: ConnectionId) -> StoreError {
    if is_foreign_key_violation(&error) {
        StoreError::not_found("connection", connection_id)
    } else {
        error.into()
    }
}

const RUN_SELECT: &str = "SELECT id, connection_id, started_at_ms, finished_at_ms, outcome, pages, orders_new, \
    orders_changed, error_kind, error_message FROM sync_runs";

/// Writes a watermark (inside the caller's transaction).
pub(crate) async fn write_watermark(
    handle: Handle<'_>,
    connection_id: ConnectionId,
    watermark: &SyncWatermark,
    now: Timestamp,
) -> StoreResult<()> {
    const SQL: &str = "INSERT INTO sync_watermarks (connection_id, stream, last_updated_after_ms, updated_at_ms) \
        VALUES ($1, $2, $3, $4) ON CONFLICT (connection_id, stream) DO UPDATE SET \
        last_updated_after_ms = excluded.last_updated_after_ms, updated_at_ms = excluded.updated_at_ms";
    let written = on_conn!(handle, |c| {
        sqlx::query(SQL)
            .bind(connection_id.to_string())
            .bind(watermark.stream.as_str().to_owned())
            .bind(millis(watermark.last_updated_after))
            .bind(millis(now))
            .execute(&mut *c)
            .await
            .map(|done| done.rows_affected())
    });
    written.map_err(|e| {
        if is_foreign_key_violation(&e) {
            StoreError::not_found("connection", connection_id)
        } else {
            e.into()
        }
    })?;
    Ok(())
}

/// Writes a watermark on its own, in one statement: what an import that found nothing new commits. With a
/// `fence`, the row is written only while the fence's lease is held as given (the lease row is locked against a
/// concurrent takeover on PostgreSQL, as [`crate::leases::check_fence`] does); otherwise
/// [`StoreError::LeaseLost`].
pub(crate) async fn write_watermark_alone(
    pool: &Pool,
    connection_id: ConnectionId,
    watermark: &SyncWatermark,
    now: Timestamp,
    fence: Option<&Fence>,
) -> StoreResult<()> {
    let Some(fence) = fence else {
        let mut tx = pool.begin().await?;
        write_watermark(tx.handle(), connection_id, watermark, now).await?;
        return tx.commit().await;
    };
    let lock = match pool.engine() {
        Engine::Postgres => " FOR SHARE",
        Engine::Sqlite => "",
    };
    // `WHERE EXISTS` also gives SQLite's parser the `WHERE` it needs before an upsert's `ON CONFLICT`.
    let sql = format!(
        "INSERT INTO sync_watermarks (connection_id, stream, last_updated_after_ms, updated_at_ms) \
         SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM leases \
         WHERE name = $5 AND owner = $6 AND token = $7 AND expires_at_ms <> 0{lock}) \
         ON CONFLICT (connection_id, stream) DO UPDATE SET \
         last_updated_after_ms = excluded.last_updated_after_ms, updated_at_ms = excluded.updated_at_ms"
    );
    let written = on_pool!(pool, |p| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(connection_id.to_string())
            .bind(watermark.stream.as_str().to_owned())
            .bind(millis(watermark.last_updated_after))
            .bind(millis(now))
            .bind(fence.lease.as_str().to_owned())
            .bind(fence.owner.as_str().to_owned())
            .bind(fence.token)
            .execute(p)
            .await
            .map(|done| done.rows_affected())
    });
    match written {
        Ok(0) => Err(StoreError::lease_lost(fence)),
        Ok(_) => Ok(()),
        Err(e) if is_foreign_key_violation(&e) => {
            Err(StoreError::not_found("connection", connection_id))
        }
        Err(e) => Err(e.into()),
    }
}

impl Store {
    /// The watermark of a connection's stream, if one was written.
    pub async fn watermark(
        &self,
        connection_id: ConnectionId,
        stream: &SyncStream,
    ) -> StoreResult<Option<WatermarkRecord>> {
        const SQL: &str = "SELECT stream, last_updated_after_ms, updated_at_ms FROM sync_watermarks \
            WHERE connection_id = $1 AND stream = $2";
        let row: Option<WatermarkRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(SQL)
                .bind(connection_id.to_string())
                .bind(stream.as_str().to_owned())
                .fetch_optional(pool)
                .await?
        });
        row.map(|row| {
            let col = |name| Column::new("sync_watermarks", name);
            Ok(WatermarkRecord {
                watermark: SyncWatermark {
                    stream: col("stream").parse(SyncStream::parse(&row.stream))?,
                    last_updated_after: col("last_updated_after_ms")
                        .instant(row.last_updated_after_ms)?,
                },
                updated_at: col("updated_at_ms").instant(row.updated_at_ms)?,
            })
        })
        .transpose()
    }

    /// Writes a watermark on its own (e.g. to re-import from an earlier point). The import engine writes it
    /// together with the orders through [`Store::upsert_orders`].
    pub async fn set_watermark(
        &self,
        connection_id: ConnectionId,
        watermark: &SyncWatermark,
        now: Timestamp,
    ) -> StoreResult<()> {
        write_watermark_alone(&self.pool, connection_id, watermark, now, None).await
    }

    /// Records that a sync run of the connection started.
    pub async fn start_sync_run(
        &self,
        connection_id: ConnectionId,
        now: Timestamp,
    ) -> StoreResult<SyncRunId> {
        const SQL: &str =
            "INSERT INTO sync_runs (id, connection_id, started_at_ms) VALUES ($1, $2, $3)";
        let id = SyncRunId(Uuid::now_v7());
        let inserted = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(id.to_string())
                .bind(connection_id.to_string())
                .bind(millis(now))
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        inserted.map_err(|e| run_insert_error(e, connection_id))?;
        Ok(id)
    }

    /// Records a whole run, started and ended, in one statement: what a run that wrote nothing while it ran (it
    /// found nothing to import, or failed first) leaves in the history.
    pub async fn record_sync_run(
        &self,
        connection_id: ConnectionId,
        started_at: Timestamp,
        result: &SyncRunResult,
    ) -> StoreResult<SyncRunId> {
        const SQL: &str = "INSERT INTO sync_runs (id, connection_id, started_at_ms, finished_at_ms, outcome, \
            pages, orders_new, orders_changed, error_kind, error_message) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
        let id = SyncRunId(Uuid::now_v7());
        let orders_new = stored_count("orders_new", result.orders_new)?;
        let orders_changed = stored_count("orders_changed", result.orders_changed)?;
        let (kind, message) = failure_columns(result);
        let inserted = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(id.to_string())
                .bind(connection_id.to_string())
                .bind(millis(started_at))
                .bind(millis(result.finished_at))
                .bind(result.outcome.as_str())
                .bind(i64::from(result.pages))
                .bind(orders_new)
                .bind(orders_changed)
                .bind(kind)
                .bind(message)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        });
        inserted.map_err(|e| run_insert_error(e, connection_id))?;
        Ok(id)
    }

    /// Records how a run ended. A run ends once: finishing it again is [`StoreError::Conflict`].
    pub async fn finish_sync_run(&self, id: SyncRunId, result: &SyncRunResult) -> StoreResult<()> {
        const SQL: &str = "UPDATE sync_runs SET finished_at_ms = $1, outcome = $2, pages = $3, orders_new = $4, \
            orders_changed = $5, error_kind = $6, error_message = $7 WHERE id = $8 AND finished_at_ms IS NULL";
        const EXISTS: &str = "SELECT COUNT(*) FROM sync_runs WHERE id = $1";
        let orders_new = stored_count("orders_new", result.orders_new)?;
        let orders_changed = stored_count("orders_changed", result.orders_changed)?;
        let (kind, message) = failure_columns(result);
        // One statement; only a run that was not updated is looked at again, to say why (a run never comes back
        // once finished, so no transaction is needed to tell the two reasons apart).
        let updated = on_pool!(&self.pool, |pool| {
            sqlx::query(SQL)
                .bind(millis(result.finished_at))
                .bind(result.outcome.as_str())
                .bind(i64::from(result.pages))
                .bind(orders_new)
                .bind(orders_changed)
                .bind(kind)
                .bind(message)
                .bind(id.to_string())
                .execute(pool)
                .await?
                .rows_affected()
        });
        if updated == 1 {
            return Ok(());
        }
        let exists: i64 = on_pool!(&self.pool, |pool| {
            sqlx::query_scalar(EXISTS)
                .bind(id.to_string())
                .fetch_one(pool)
                .await?
        });
        if exists == 0 {
            Err(StoreError::not_found("sync run", id))
        } else {
            Err(StoreError::Conflict {
                what: "sync run",
                id: id.to_string(),
                detail: "it has already finished".to_owned(),
            })
        }
    }

    /// The newest `limit` runs of a connection, newest first.
    pub async fn sync_runs(
        &self,
        connection_id: ConnectionId,
        limit: u32,
    ) -> StoreResult<Vec<SyncRun>> {
        let sql = format!(
            "{RUN_SELECT} WHERE connection_id = $1 ORDER BY started_at_ms DESC, id DESC LIMIT $2"
        );
        let rows: Vec<RunRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(connection_id.to_string())
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(RunRow::into_run).collect()
    }

    /// The newest run of a connection, if any.
    pub async fn last_sync_run(&self, connection_id: ConnectionId) -> StoreResult<Option<SyncRun>> {
        Ok(self.sync_runs(connection_id, 1).await?.pop())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_and_streams() {
        for outcome in [
            SyncOutcome::Ok,
            SyncOutcome::PausedAccessDenied,
            SyncOutcome::Failed,
        ] {
            assert_eq!(SyncOutcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(SyncStream::parse(" orders ").unwrap(), SyncStream::orders());
        let err = SyncStream::parse("Orders").unwrap_err().to_string();
        assert!(
            err.starts_with("sync stream: contains 'O' at position 1"),
            "{err}"
        );
    }
}
