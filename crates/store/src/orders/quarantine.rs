//! Orders Amazon sent that could not be read: quarantined with the page they came in, shown to the operator with
//! the reason, and released in the transaction that finally stores them (see migration 0700).

use jiff::Timestamp;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::ids::{ConnectionId, MerchantId};
pub use sellerlink_domain::unreadable::UnreadableOrder;

use super::rows::{IDS_PER_STATEMENT, id_list};
use crate::audit::write_audit;
use crate::codec::{Column, millis};
use crate::engine::{Args, Handle, Pool, bind_args, on_conn, on_pool};
use crate::error::StoreResult;

/// The most bytes of an order's fragment kept; a longer one is cut (at a character boundary) and marked `…`.
pub const MAX_RAW_BYTES: usize = 16 * 1024;

/// A quarantined order as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarantinedOrder {
    /// The connection it came through.
    pub connection_id: ConnectionId,
    /// Amazon's order id as sent, or a digest of the fragment.
    pub order_key: String,
    /// Why it could not be read (the latest attempt).
    pub reason: String,
    /// The fragment (the latest attempt).
    pub raw: String,
    /// Where the next import re-reads from.
    pub relist_from: Timestamp,
    /// When it was first quarantined.
    pub first_seen: Timestamp,
    /// When it was last seen unreadable.
    pub last_seen: Timestamp,
    /// How many imports found it unreadable.
    pub attempts: u32,
}

#[derive(sqlx::FromRow)]
struct Row {
    connection_id: String,
    order_key: String,
    reason: String,
    raw: String,
    relist_from_ms: i64,
    first_seen_ms: i64,
    last_seen_ms: i64,
    attempts: i64,
}

const TABLE: &str = "order_quarantine";

impl Row {
    fn into_record(self) -> StoreResult<QuarantinedOrder> {
        let col = |name| Column::new(TABLE, name);
        Ok(QuarantinedOrder {
            connection_id: col("connection_id").parse(ConnectionId::parse(&self.connection_id))?,
            order_key: self.order_key,
            reason: self.reason,
            raw: self.raw,
            relist_from: col("relist_from_ms").instant(self.relist_from_ms)?,
            first_seen: col("first_seen_ms").instant(self.first_seen_ms)?,
            last_seen: col("last_seen_ms").instant(self.last_seen_ms)?,
            attempts: col("attempts").count(self.attempts)?,
        })
    }
}

/// `text` cut to at most `max` bytes at a character boundary, marked `…` when cut.
fn capped(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Releases the orders of `stored` from quarantine and quarantines `unreadable`, inside the page's transaction.
/// An order quarantined for the first time gets one `order_quarantined` audit entry (the operator's alert);
/// seen again, only its reason, fragment, re-read instant and count change.
pub(super) async fn write(
    mut handle: Handle<'_>,
    connection_id: ConnectionId,
    stored: &[&str],
    unreadable: &[UnreadableOrder],
    now: Timestamp,
) -> StoreResult<()> {
    let connection = connection_id.to_string();
    for chunk in stored.chunks(IDS_PER_STATEMENT) {
        let mut args = Args::new(handle.engine());
        let key = args.text(connection.as_str());
        let ids = id_list(&mut args, chunk.iter().copied());
        let sql = format!(
            "DELETE FROM order_quarantine WHERE connection_id = {key} AND order_key IN ({ids})"
        );
        on_conn!(handle.reborrow(), |c| {
            bind_args!(sqlx::query(sqlx::AssertSqlSafe(sql)), args)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
    }
    const UPSERT: &str = "INSERT INTO order_quarantine \
        (connection_id, order_key, reason, raw, relist_from_ms, first_seen_ms, last_seen_ms, attempts) \
        VALUES ($1, $2, $3, $4, $5, $6, $6, 1) ON CONFLICT (connection_id, order_key) DO UPDATE SET \
        reason = excluded.reason, raw = excluded.raw, relist_from_ms = excluded.relist_from_ms, \
        last_seen_ms = excluded.last_seen_ms, attempts = order_quarantine.attempts + 1 RETURNING attempts";
    for order in unreadable {
        let attempts: i64 = on_conn!(handle.reborrow(), |c| {
            sqlx::query_scalar(UPSERT)
                .bind(connection.clone())
                .bind(order.order_key.clone())
                .bind(capped(&order.reason, 2048))
                .bind(capped(&order.raw, MAX_RAW_BYTES))
                .bind(millis(order.relist_from))
                .bind(millis(now))
                .fetch_one(&mut *c)
                .await?
        });
        if attempts == 1 {
            let merchant_id = merchant_of(handle.reborrow(), &connection).await?;
            let entry = AuditEntry {
                merchant_id,
                connection_id: Some(connection_id),
                actor: Actor::system("import"),
                action: AuditAction::OrderQuarantined,
                at: now,
                before: None,
                after: Some(serde_json::json!({
                    "order": order.order_key,
                    "reason": capped(&order.reason, 2048),
                })),
            };
            write_audit(handle.reborrow(), &entry).await?;
        }
    }
    Ok(())
}

async fn merchant_of(handle: Handle<'_>, connection: &str) -> StoreResult<MerchantId> {
    const SQL: &str = "SELECT merchant_id FROM connections WHERE id = $1";
    let text: String = on_conn!(handle, |c| {
        sqlx::query_scalar(SQL)
            .bind(connection.to_owned())
            .fetch_one(&mut *c)
            .await?
    });
    Column::new("connections", "merchant_id").parse(MerchantId::parse(&text))
}

/// The quarantined orders of one connection, or of all, the most recently first seen first.
pub(super) async fn list(
    pool: &Pool,
    connection: Option<ConnectionId>,
) -> StoreResult<Vec<QuarantinedOrder>> {
    const ALL: &str = "SELECT connection_id, order_key, reason, raw, relist_from_ms, first_seen_ms, \
        last_seen_ms, attempts FROM order_quarantine ORDER BY first_seen_ms DESC, connection_id, order_key";
    const ONE: &str = "SELECT connection_id, order_key, reason, raw, relist_from_ms, first_seen_ms, \
        last_seen_ms, attempts FROM order_quarantine WHERE connection_id = $1 \
        ORDER BY first_seen_ms DESC, order_key";
    let rows: Vec<Row> = on_pool!(pool, |p| match connection {
        None => sqlx::query_as(ALL).fetch_all(p).await?,
        Some(id) =>
            sqlx::query_as(ONE)
                .bind(id.to_string())
                .fetch_all(p)
                .await?,
    });
    rows.into_iter().map(Row::into_record).collect()
}

/// The earliest instant a quarantined order of the connection must be re-read from, if any is quarantined.
pub(super) async fn earliest_relist(
    pool: &Pool,
    connection: ConnectionId,
) -> StoreResult<Option<Timestamp>> {
    const SQL: &str = "SELECT MIN(relist_from_ms) FROM order_quarantine WHERE connection_id = $1";
    let ms: Option<i64> = on_pool!(pool, |p| {
        sqlx::query_scalar(SQL)
            .bind(connection.to_string())
            .fetch_one(p)
            .await?
    });
    ms.map(|ms| Column::new(TABLE, "relist_from_ms").instant(ms))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::capped;

    #[test]
    fn fragments_are_cut_at_a_character_boundary() {
        assert_eq!(capped("煎茶", 4), "煎…");
        assert_eq!(capped("abc", 3), "abc");
    }
}
