//! Reading shipments: one by id, filtered lists newest first, and what is due for a worker.

use jiff::Timestamp;
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId, MerchantId};

use super::ids::{ShipmentId, ShipmentState};
use super::record::{SHIPMENT_COLUMNS, ShipmentRecord, ShipmentRow};
use crate::codec::millis;
use crate::engine::{Args, bind_args, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// Which shipments to list. Filters combine with AND; empty ones do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShipmentFilter {
    /// Only this connection's shipments.
    pub connection: Option<ConnectionId>,
    /// Only shipments of this merchant's connections.
    pub merchant: Option<MerchantId>,
    /// Only shipments of this order.
    pub amazon_order_id: Option<AmazonOrderId>,
    /// Only shipments in one of these states (empty = any state).
    pub states: Vec<ShipmentState>,
    /// At most this many shipments (0 = 100, at most 500).
    pub limit: u32,
}

/// Rows a list returns when its filter does not say.
const DEFAULT_LIMIT: u32 = 100;
/// The most rows one list may ask for.
const MAX_LIMIT: u32 = 500;

/// ` WHERE …` for the filter's conditions, or nothing.
fn filter_sql(filter: &ShipmentFilter, args: &mut Args) -> String {
    let mut conditions = Vec::new();
    if let Some(connection) = filter.connection {
        conditions.push(format!(
            "connection_id = {}",
            args.text(connection.to_string())
        ));
    }
    if let Some(merchant) = filter.merchant {
        conditions.push(format!(
            "connection_id IN (SELECT id FROM connections WHERE merchant_id = {})",
            args.text(merchant.to_string())
        ));
    }
    if let Some(order) = &filter.amazon_order_id {
        conditions.push(format!("amazon_order_id = {}", args.text(order.as_str())));
    }
    if !filter.states.is_empty() {
        let list: Vec<String> = filter
            .states
            .iter()
            .map(|state| args.text(state.as_str()))
            .collect();
        conditions.push(format!("state IN ({})", list.join(", ")));
    }
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

fn records(rows: Vec<ShipmentRow>) -> StoreResult<Vec<ShipmentRecord>> {
    rows.into_iter().map(ShipmentRow::into_record).collect()
}

impl Store {
    /// The shipment with this id, or [`StoreError::NotFound`].
    pub async fn shipment(&self, id: ShipmentId) -> StoreResult<ShipmentRecord> {
        let sql = format!("SELECT {SHIPMENT_COLUMNS} FROM shipments WHERE id = $1");
        let row: Option<ShipmentRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.ok_or_else(|| StoreError::not_found("shipment", id))?
            .into_record()
    }

    /// Shipments matching the filter, newest queued first (ties by id, newest first). A limit above 500 is
    /// [`StoreError::Invalid`].
    pub async fn shipments(&self, filter: &ShipmentFilter) -> StoreResult<Vec<ShipmentRecord>> {
        let limit = match filter.limit {
            0 => DEFAULT_LIMIT,
            n if n <= MAX_LIMIT => n,
            n => {
                return Err(StoreError::invalid(
                    "shipment filter limit",
                    format!(
                        "{n} is out of range; expected 1–{MAX_LIMIT}, or 0 for {DEFAULT_LIMIT}"
                    ),
                ));
            }
        };
        let mut args = Args::new(self.engine());
        let filter = filter_sql(filter, &mut args);
        let limit = args.int(i64::from(limit));
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments{filter} \
             ORDER BY created_at_ms DESC, id DESC LIMIT {limit}"
        );
        let rows: Vec<ShipmentRow> = on_pool!(&self.pool, |pool| {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
                .fetch_all(pool)
                .await?
        });
        records(rows)
    }

    /// Queued or submitted shipments whose next attempt is due at `now`, the longest-waiting first (ties by id), at
    /// most `limit`. Reading does not claim them: the transitions' compare-and-swap decides which worker acts.
    pub async fn due_shipments(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<ShipmentRecord>> {
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments \
             WHERE state IN ('queued', 'submitted') AND next_attempt_ms <= $1 \
             ORDER BY next_attempt_ms, id LIMIT $2"
        );
        let rows: Vec<ShipmentRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(millis(now))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        records(rows)
    }
}
