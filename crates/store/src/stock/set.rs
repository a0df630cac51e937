//! Setting quantities: one transaction per call, one upsert and one read per chunk of SKUs. A row changes only when
//! its quantity differs (or it was rejected), and then gets a new revision, pending at once.

use std::collections::HashMap;

use jiff::Timestamp;
use sellerlink_domain::ids::ConnectionId;

use super::check;
use super::record::{STOCK_COLUMNS, StockLevel, StockRow, level_key};
use super::state::StockChange;
use crate::codec::millis;
use crate::engine::{Args, Handle, bind_args, on_conn};
use crate::error::{StoreError, StoreResult, is_foreign_key_violation};
use crate::store::Store;

/// SKUs written per statement: 5 bound values each, far below both engines' parameter limits.
const CHUNK_ROWS: usize = 500;

/// [`StoreError::NotFound`] unless the connection exists.
async fn expect_connection(handle: Handle<'_>, connection: ConnectionId) -> StoreResult<()> {
    const SQL: &str = "SELECT id FROM connections WHERE id = $1";
    let found: Option<String> = on_conn!(handle, |c| {
        sqlx::query_scalar(SQL)
            .bind(connection.to_string())
            .fetch_optional(&mut *c)
            .await?
    });
    found
        .map(drop)
        .ok_or_else(|| StoreError::not_found("connection", connection))
}

/// Inserts the SKUs that are new and makes a new revision of those whose quantity differs or that were rejected.
/// Returns (SKU, revision) of every row it wrote: revision 1 is a new row, anything above a new revision. Rows it
/// left alone are not returned (but are locked until the transaction ends on PostgreSQL).
async fn upsert(
    handle: Handle<'_>,
    connection: ConnectionId,
    chunk: &[&(String, u32)],
    now: Timestamp,
) -> StoreResult<Vec<(String, i64)>> {
    let mut args = Args::new(handle.engine());
    let mut tuples = Vec::with_capacity(chunk.len());
    for (sku, quantity) in chunk {
        let connection = args.text(connection.to_string());
        let sku = args.text(sku.as_str());
        let quantity = args.int(i64::from(*quantity));
        let next_attempt = args.int(millis(now));
        let updated = args.int(millis(now));
        tuples.push(format!(
            "({connection}, {sku}, {quantity}, 1, 'pending', {next_attempt}, {updated})"
        ));
    }
    let sql = format!(
        "INSERT INTO stock_levels (connection_id, sku, quantity, revision, state, next_attempt_ms, updated_at_ms) \
         VALUES {} \
         ON CONFLICT (connection_id, sku) DO UPDATE SET quantity = excluded.quantity, \
         revision = stock_levels.revision + 1, state = 'pending', attempts = 0, last_error = NULL, \
         next_attempt_ms = excluded.next_attempt_ms, updated_at_ms = excluded.updated_at_ms \
         WHERE stock_levels.quantity <> excluded.quantity OR stock_levels.state = 'rejected' \
         RETURNING sku, revision",
        tuples.join(", ")
    );
    let written: Result<Vec<(String, i64)>, sqlx::Error> = on_conn!(handle, |c| {
        bind_args!(prepared sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
            .fetch_all(&mut *c)
            .await
    });
    match written {
        Ok(rows) => Ok(rows),
        // The connection was removed after it was checked.
        Err(e) if is_foreign_key_violation(&e) => {
            Err(StoreError::not_found("connection", connection))
        }
        Err(e) => Err(e.into()),
    }
}

/// The stored rows of the chunk's SKUs.
async fn read(
    handle: Handle<'_>,
    connection: ConnectionId,
    chunk: &[&(String, u32)],
) -> StoreResult<Vec<StockLevel>> {
    let mut args = Args::new(handle.engine());
    let connection = args.text(connection.to_string());
    let skus: Vec<String> = chunk
        .iter()
        .map(|(sku, _)| args.text(sku.as_str()))
        .collect();
    let sql = format!(
        "SELECT {STOCK_COLUMNS} FROM stock_levels WHERE connection_id = {connection} AND sku IN ({})",
        skus.join(", ")
    );
    let rows: Vec<StockRow> = on_conn!(handle, |c| {
        bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
            .fetch_all(&mut *c)
            .await?
    });
    rows.into_iter().map(StockRow::into_level).collect()
}

impl Store {
    /// Sets the quantities of several SKUs of one connection in one transaction: all of them, or none when one is
    /// refused. For each SKU:
    /// - a new SKU is created at revision 1, pending, due at `now` ([`StockChange::Created`]);
    /// - a different quantity, or any quantity for a rejected row, makes a new revision: revision + 1, pending,
    ///   attempts 0, `last_error` cleared, due at `now` ([`StockChange::Changed`]). This holds while an older
    ///   revision is submitted too: `submitted_revision` and `feed_submission_id` stay, so the worker can still
    ///   read that feed's outcome, and the new quantity is pushed afterwards;
    /// - the same quantity of a pending, submitted or pushed row changes nothing ([`StockChange::Unchanged`]).
    ///
    /// Returns one (stock level after the call, what changed) per input, in input order.
    ///
    /// Errors: [`StoreError::NotFound`] for an unknown connection; [`StoreError::Invalid`] for a SKU that is
    /// empty, longer than 40 characters, padded with spaces or holds a control character, a quantity above
    /// 1,000,000, or the same SKU twice in one call.
    pub async fn set_stock_levels(
        &self,
        connection: ConnectionId,
        levels: &[(String, u32)],
        now: Timestamp,
    ) -> StoreResult<Vec<(StockLevel, StockChange)>> {
        check::levels(levels)?;
        let mut tx = self.pool.begin().await?;
        expect_connection(tx.handle(), connection).await?;
        let mut changes: HashMap<String, StockChange> = HashMap::new();
        let mut stored: HashMap<String, StockLevel> = HashMap::with_capacity(levels.len());
        // Rows are written in SKU order, so two calls touching the same SKUs lock them in the same order and never
        // deadlock on PostgreSQL.
        let mut ordered: Vec<&(String, u32)> = levels.iter().collect();
        ordered.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for chunk in ordered.chunks(CHUNK_ROWS) {
            for (sku, revision) in upsert(tx.handle(), connection, chunk, now).await? {
                let change = if revision == 1 {
                    StockChange::Created
                } else {
                    StockChange::Changed
                };
                changes.insert(sku, change);
            }
            for level in read(tx.handle(), connection, chunk).await? {
                stored.insert(level.sku.clone(), level);
            }
        }
        tx.commit().await?;
        levels
            .iter()
            .map(|(sku, _)| {
                let level = stored.remove(sku).ok_or_else(|| {
                    StoreError::not_found("stock level", level_key(connection, sku))
                })?;
                let change = changes.get(sku).copied().unwrap_or(StockChange::Unchanged);
                Ok((level, change))
            })
            .collect()
    }
}
