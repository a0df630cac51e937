//! Reading shipments: one by id, filtered lists newest first, and what is due for a worker.

use jiff::Timestamp;
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId, MerchantId};

use super::ids::{ShipmentId, ShipmentState};
use super::record::{SHIPMENT_COLUMNS, ShipmentRecord, ShipmentRow};
use crate::codec::millis;
use crate::engine::{Args, bind_args, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::list_filter::{Conditions, list_limit};
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

/// ` WHERE …` for the filter's conditions, or nothing.
fn filter_sql(filter: &ShipmentFilter, args: &mut Args) -> String {
    Conditions::new(args)
        .connection(filter.connection)
        .merchant(filter.merchant)
        .equals(
            "amazon_order_id",
            filter.amazon_order_id.as_ref().map(|o| o.as_str()),
        )
        .one_of("state", filter.states.iter().map(|s| s.as_str()))
        .sql()
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
        let limit = list_limit("shipment filter limit", filter.limit)?;
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
        self.due_shipments_where(None, now, limit).await
    }

    /// Like [`Store::due_shipments`] for one connection: what a worker reads again once it holds that
    /// connection's lease, so that it acts on the shipments as they are now, not as another worker left them a
    /// moment before.
    pub async fn due_shipments_of(
        &self,
        connection: ConnectionId,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<ShipmentRecord>> {
        self.due_shipments_where(Some(connection), now, limit).await
    }

    async fn due_shipments_where(
        &self,
        connection: Option<ConnectionId>,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<ShipmentRecord>> {
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments \
             WHERE ($1 IS NULL OR connection_id = $1) AND state IN ('queued', 'submitted') \
             AND next_attempt_ms <= $2 ORDER BY next_attempt_ms, id LIMIT $3"
        );
        let rows: Vec<ShipmentRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(connection.map(|id| id.to_string()))
                .bind(millis(now))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        records(rows)
    }
}
