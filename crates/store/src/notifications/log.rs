//! The notification log: what was sent to whom, when, and whether it arrived — newest first, a page at a time.

use sellerlink_domain::ids::{ConnectionId, MerchantId};

use super::ids::{ChannelId, DeliveryId, DeliveryKind, DeliveryState};
use super::record::{DELIVERY_COLUMNS, DeliveryRecord, DeliveryRow};
use crate::engine::{Args, bind_args, on_pool};
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// Which deliveries to list, and which page. Filters combine with AND.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryQuery {
    /// Only deliveries about this merchant (to its own channels and to the operator's).
    pub merchant: Option<MerchantId>,
    /// Only deliveries about this connection.
    pub connection: Option<ConnectionId>,
    /// Only deliveries to this channel.
    pub channel: Option<ChannelId>,
    /// Only this kind.
    pub kind: Option<DeliveryKind>,
    /// Only this state.
    pub state: Option<DeliveryState>,
    /// At most this many rows (1–500). Ask for one more than a page to learn whether a next page exists.
    pub limit: u32,
    /// Rows to pass over first (page × page size).
    pub offset: u32,
}

impl Default for DeliveryQuery {
    /// Everything, the newest 50.
    fn default() -> Self {
        Self {
            merchant: None,
            connection: None,
            channel: None,
            kind: None,
            state: None,
            limit: 50,
            offset: 0,
        }
    }
}

/// The most rows one page may ask for.
const MAX_LIMIT: u32 = 500;

impl Store {
    /// Deliveries matching `query`, newest planned first (ties by id, newest first).
    pub async fn deliveries(&self, query: &DeliveryQuery) -> StoreResult<Vec<DeliveryRecord>> {
        if query.limit == 0 || query.limit > MAX_LIMIT {
            return Err(StoreError::invalid(
                "delivery query limit",
                format!("{} is out of range; expected 1–{MAX_LIMIT}", query.limit),
            ));
        }
        let mut args = Args::new(self.engine());
        let mut conditions = Vec::new();
        if let Some(merchant) = query.merchant {
            conditions.push(format!("merchant_id = {}", args.text(merchant.to_string())));
        }
        if let Some(connection) = query.connection {
            conditions.push(format!(
                "connection_id = {}",
                args.text(connection.to_string())
            ));
        }
        if let Some(channel) = query.channel {
            conditions.push(format!("channel_id = {}", args.text(channel.to_string())));
        }
        if let Some(kind) = query.kind {
            conditions.push(format!("kind = {}", args.text(kind.as_str())));
        }
        if let Some(state) = query.state {
            conditions.push(format!("state = {}", args.text(state.as_str())));
        }
        let mut sql = format!("SELECT {DELIVERY_COLUMNS} FROM notification_deliveries");
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        let limit = args.int(i64::from(query.limit));
        let offset = args.int(i64::from(query.offset));
        sql.push_str(&format!(
            " ORDER BY planned_at_ms DESC, id DESC LIMIT {limit} OFFSET {offset}"
        ));
        let rows: Vec<DeliveryRow> = on_pool!(&self.pool, |pool| {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(DeliveryRow::into_record).collect()
    }

    /// The delivery with this id, or [`StoreError::NotFound`].
    pub async fn delivery(&self, id: DeliveryId) -> StoreResult<DeliveryRecord> {
        let sql = format!("SELECT {DELIVERY_COLUMNS} FROM notification_deliveries WHERE id = $1");
        let row: Option<DeliveryRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id.to_string())
                .fetch_optional(pool)
                .await?
        });
        row.ok_or_else(|| StoreError::not_found("notification delivery", id))?
            .into_record()
    }
}
