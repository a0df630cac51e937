//! Reading stock levels: filtered lists and what is due for a worker, both by connection then SKU.

use jiff::Timestamp;
use sellerlink_domain::ids::{ConnectionId, MerchantId};

use super::record::{STOCK_COLUMNS, StockLevel, StockRow};
use super::state::StockState;
use crate::codec::millis;
use crate::engine::{Args, bind_args, on_pool};
use crate::error::StoreResult;
use crate::list_filter::{Conditions, list_limit};
use crate::store::Store;

/// Which stock levels to list. Filters combine with AND; empty ones do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StockFilter {
    /// Only this connection's stock levels.
    pub connection: Option<ConnectionId>,
    /// Only stock levels of this merchant's connections.
    pub merchant: Option<MerchantId>,
    /// Only this SKU (exact match).
    pub sku: Option<String>,
    /// Only stock levels in one of these states (empty = any state).
    pub states: Vec<StockState>,
    /// At most this many stock levels (0 = 100, at most 500).
    pub limit: u32,
}

/// ` WHERE …` for the filter's conditions, or nothing.
fn filter_sql(filter: &StockFilter, args: &mut Args) -> String {
    Conditions::new(args)
        .connection(filter.connection)
        .merchant(filter.merchant)
        .equals("sku", filter.sku.as_deref())
        .one_of("state", filter.states.iter().map(|s| s.as_str()))
        .sql()
}

pub(super) fn levels(rows: Vec<StockRow>) -> StoreResult<Vec<StockLevel>> {
    rows.into_iter().map(StockRow::into_level).collect()
}

impl Store {
    /// Stock levels matching the filter, by connection id then SKU (bytewise on both engines). A limit above 500
    /// is [`StoreError::Invalid`].
    pub async fn stock_levels(&self, filter: &StockFilter) -> StoreResult<Vec<StockLevel>> {
        let limit = list_limit("stock filter limit", filter.limit)?;
        let mut args = Args::new(self.engine());
        let filter = filter_sql(filter, &mut args);
        let limit = args.int(i64::from(limit));
        let sql = format!(
            "SELECT {STOCK_COLUMNS} FROM stock_levels{filter} ORDER BY connection_id, sku LIMIT {limit}"
        );
        let rows: Vec<StockRow> = on_pool!(&self.pool, |pool| {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
                .fetch_all(pool)
                .await?
        });
        levels(rows)
    }

    /// Stock levels a worker should act on at `now`: pending ones (to push) and submitted ones (to check their
    /// feed) whose next attempt has come, by connection id then SKU so that one connection's SKUs come together
    /// (one MWS feed), at most `limit`. Reading does not claim them: the compare-and-swap of
    /// [`Store::stock_submitted`] and [`Store::stock_retry_later`] decides which worker acts.
    pub async fn due_stock_levels(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<StockLevel>> {
        let sql = format!(
            "SELECT {STOCK_COLUMNS} FROM stock_levels \
             WHERE state IN ('pending', 'submitted') AND next_attempt_ms <= $1 \
             ORDER BY connection_id, sku LIMIT $2"
        );
        let rows: Vec<StockRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(millis(now))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        levels(rows)
    }
}
