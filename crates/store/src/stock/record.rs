//! [`StockLevel`]: one row of `stock_levels` as read back.

use jiff::Timestamp;
use sellerlink_domain::ids::ConnectionId;
use serde::Serialize;

use super::state::StockState;
use crate::codec::Column;
use crate::error::StoreResult;

/// The stock level of one SKU of one seller account, with where its push to Amazon stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StockLevel {
    /// The seller account.
    pub connection_id: ConnectionId,
    /// The merchant's SKU (seller SKU) as Amazon knows it.
    pub sku: String,
    /// The units available, as the 3PL last set them.
    pub quantity: u32,
    /// Grows by one at every change of `quantity` (1 when created).
    pub revision: u64,
    /// The latest revision Amazon accepted (0 = none yet).
    pub pushed_revision: u64,
    /// The quantity of `pushed_revision`, what Amazon holds as far as we know.
    pub pushed_quantity: Option<u32>,
    /// Where the push of the current revision stands.
    pub state: StockState,
    /// The revision handed to Amazon in `feed_submission_id` and not answered yet. It may be older than
    /// `revision` when the quantity changed while the feed was processed.
    pub submitted_revision: Option<u64>,
    /// The quantity of `submitted_revision` (what Amazon will hold once that feed is processed).
    pub submitted_quantity: Option<u32>,
    /// Amazon's feed submission id of `submitted_revision` (MWS).
    pub feed_submission_id: Option<String>,
    /// How many times a worker submitted the current revision or checked on it (0 at every new revision).
    pub attempts: u32,
    /// The last failure, or why Amazon rejected the current revision.
    pub last_error: Option<String>,
    /// When a worker should next push it (pending) or check its feed (submitted).
    pub next_attempt_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// When Amazon's acceptance of `pushed_revision` was recorded.
    pub pushed_at: Option<Timestamp>,
}

/// The columns of a stock level read, in [`StockRow`]'s order.
pub(super) const STOCK_COLUMNS: &str = "connection_id, sku, quantity, revision, pushed_revision, \
    pushed_quantity, state, submitted_revision, submitted_quantity, feed_submission_id, attempts, last_error, \
    next_attempt_ms, \
    updated_at_ms, pushed_at_ms";

#[derive(sqlx::FromRow)]
pub(super) struct StockRow {
    connection_id: String,
    sku: String,
    quantity: i64,
    revision: i64,
    pushed_revision: i64,
    pushed_quantity: Option<i64>,
    state: String,
    submitted_revision: Option<i64>,
    submitted_quantity: Option<i64>,
    feed_submission_id: Option<String>,
    attempts: i32,
    last_error: Option<String>,
    next_attempt_ms: i64,
    updated_at_ms: i64,
    pushed_at_ms: Option<i64>,
}

const TABLE: &str = "stock_levels";

impl StockRow {
    pub(super) fn into_level(self) -> StoreResult<StockLevel> {
        let col = |name| Column::new(TABLE, name);
        Ok(StockLevel {
            connection_id: col("connection_id").parse(ConnectionId::parse(&self.connection_id))?,
            sku: self.sku,
            quantity: col("quantity").count(self.quantity)?,
            revision: col("revision").count(self.revision)?,
            pushed_revision: col("pushed_revision").count(self.pushed_revision)?,
            pushed_quantity: opt_count(col("pushed_quantity"), self.pushed_quantity)?,
            state: col("state").known(StockState::parse(&self.state), &self.state)?,
            submitted_revision: opt_count(col("submitted_revision"), self.submitted_revision)?,
            submitted_quantity: opt_count(col("submitted_quantity"), self.submitted_quantity)?,
            feed_submission_id: self.feed_submission_id,
            attempts: col("attempts").count(i64::from(self.attempts))?,
            last_error: self.last_error,
            next_attempt_at: col("next_attempt_ms").instant(self.next_attempt_ms)?,
            updated_at: col("updated_at_ms").instant(self.updated_at_ms)?,
            pushed_at: col("pushed_at_ms").opt_instant(self.pushed_at_ms)?,
        })
    }
}

/// A stored optional integer that must fit the domain's unsigned type.
fn opt_count<T: TryFrom<i64>>(column: Column, value: Option<i64>) -> StoreResult<Option<T>> {
    value.map(|v| column.count(v)).transpose()
}

/// How errors name one stock level: its SKU and connection.
pub(super) fn level_key(connection: ConnectionId, sku: &str) -> String {
    format!("{sku} of connection {connection}")
}
