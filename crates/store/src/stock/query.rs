//! Reading stock levels: filtered lists and what is due for a worker, both by connection then SKU.

use jiff::Timestamp;
use sellerlink_domain::ids::{ConnectionId, MerchantId};

use super::record::{STOCK_COLUMNS, StockLevel, StockRow};
use super::state::StockState;
use crate::codec::{Column, millis};
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
    /// Only SKUs that start with or contain a text (ASCII letters without case).
    pub sku_search: Option<SkuSearch>,
    /// Only stock levels in one of these states (empty = any state).
    pub states: Vec<StockState>,
    /// At most this many stock levels (0 = 100, at most 500).
    pub limit: u32,
    /// Skip this many stock levels first (page by number).
    pub offset: u64,
}

/// A search in SKUs, as a warehouse types part of one. ASCII letters match without case (`mug` finds `TK-MUG-1`);
/// every other character, `%` and `_` included, matches only itself, identically on both engines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkuSearch {
    /// SKUs that start with this text.
    Prefix(String),
    /// SKUs that contain this text anywhere.
    Contains(String),
}

impl SkuSearch {
    /// The `LIKE` pattern: the text with ASCII capitals folded and `%`, `_` and `\` escaped, `%` after it (and
    /// before it for [`SkuSearch::Contains`]).
    fn pattern(&self) -> String {
        let (text, anywhere) = match self {
            Self::Prefix(text) => (text, false),
            Self::Contains(text) => (text, true),
        };
        let mut pattern = String::with_capacity(text.len() + 4);
        if anywhere {
            pattern.push('%');
        }
        for c in text.chars() {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c.to_ascii_lowercase());
        }
        pattern.push('%');
        pattern
    }
}

/// ` WHERE …` for the filter's conditions, or nothing.
fn filter_sql(filter: &StockFilter, args: &mut Args) -> String {
    Conditions::new(args)
        .connection(filter.connection)
        .merchant(filter.merchant)
        .equals("sku", filter.sku.as_deref())
        .like_ascii_folded("sku", filter.sku_search.as_ref().map(SkuSearch::pattern))
        .one_of("state", filter.states.iter().map(|s| s.as_str()))
        .sql()
}

pub(super) fn levels(rows: Vec<StockRow>) -> StoreResult<Vec<StockLevel>> {
    rows.into_iter().map(StockRow::into_level).collect()
}

impl Store {
    /// Stock levels matching the filter, by connection id then SKU (bytewise on both engines), skipping `offset`
    /// first. A limit above 500 is [`crate::StoreError::Invalid`].
    pub async fn stock_levels(&self, filter: &StockFilter) -> StoreResult<Vec<StockLevel>> {
        let limit = list_limit("stock filter limit", filter.limit)?;
        let filter_offset = filter.offset;
        let mut args = Args::new(self.engine());
        let filter = filter_sql(filter, &mut args);
        let limit = args.int(i64::from(limit));
        let offset = args.int(i64::try_from(filter_offset).unwrap_or(i64::MAX));
        let sql = format!(
            "SELECT {STOCK_COLUMNS} FROM stock_levels{filter} ORDER BY connection_id, sku LIMIT {limit} \
             OFFSET {offset}"
        );
        let rows: Vec<StockRow> = on_pool!(&self.pool, |pool| {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
                .fetch_all(pool)
                .await?
        });
        levels(rows)
    }

    /// How many stock levels match the filter (its limit and offset are ignored).
    pub async fn count_stock_levels(&self, filter: &StockFilter) -> StoreResult<u64> {
        let mut args = Args::new(self.engine());
        let filter = filter_sql(filter, &mut args);
        let sql = format!("SELECT COUNT(*) FROM stock_levels{filter}");
        let count: i64 = on_pool!(&self.pool, |pool| {
            bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), args)
                .fetch_one(pool)
                .await?
        });
        Column::new("stock_levels", "COUNT(*)").count(count)
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
        self.due_stock_levels_where(None, now, limit).await
    }

    /// Like [`Store::due_stock_levels`] for one connection: what a worker reads again once it holds that
    /// connection's lease, so that it acts on the levels as they are now.
    pub async fn due_stock_levels_of(
        &self,
        connection: ConnectionId,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<StockLevel>> {
        self.due_stock_levels_where(Some(connection), now, limit)
            .await
    }

    async fn due_stock_levels_where(
        &self,
        connection: Option<ConnectionId>,
        now: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<StockLevel>> {
        let sql = format!(
            "SELECT {STOCK_COLUMNS} FROM stock_levels \
             WHERE ($1 IS NULL OR connection_id = $1) AND state IN ('pending', 'submitted') \
             AND next_attempt_ms <= $2 ORDER BY connection_id, sku LIMIT $3"
        );
        let rows: Vec<StockRow> = on_pool!(&self.pool, |pool| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(connection.map(|id| id.to_string()))
                .bind(millis(now))
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?
        });
        levels(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sku_searches_fold_ascii_and_escape_wildcards() {
        assert_eq!(SkuSearch::Prefix("TK-Mug".into()).pattern(), "tk-mug%");
        assert_eq!(
            SkuSearch::Contains("50%_off\\".into()).pattern(),
            "%50\\%\\_off\\\\%"
        );
        assert_eq!(
            SkuSearch::Contains("湯呑みＡ".into()).pattern(),
            "%湯呑みＡ%"
        );
    }
}
