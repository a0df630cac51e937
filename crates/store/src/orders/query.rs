//! Reading orders: one by id, pages for the web list, counts and summaries.

use sellerlink_domain::ids::{AmazonOrderId, ConnectionId};
use sellerlink_domain::order::StoredOrder;

use super::buyer_data::Seal;
use super::rows::{
    IDS_PER_STATEMENT, OrderRow, id_list, listed_order_columns, order_columns, with_items,
};
use super::{ListedOrder, OrderQuery, OrderSort, OrderSummary, ShipByFilter};
use crate::codec::{Column, millis};
use crate::engine::{Args, Pool, bind_args, on_conn, on_pool};
use crate::error::{StoreError, StoreResult};

/// What a filtered statement is for; the merchant filter is phrased for each.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// A page, newest first: `EXISTS` lets the engine walk the newest-first index and stop after one page, where
    /// `IN (…)` would fetch and sort every order of the merchant.
    Page,
    /// A count: `IN (…)` counts through the per-connection index.
    Count,
}

/// ` WHERE …` for the query's filters (and its cursor, for a page), or nothing.
fn filter_sql(query: &OrderQuery, args: &mut Args, purpose: Purpose) -> String {
    let mut conditions = Vec::new();
    if let Some(connection) = query.connection {
        conditions.push(format!(
            "connection_id = {}",
            args.text(connection.to_string())
        ));
    }
    if let Some(merchant) = query.merchant {
        let merchant = args.text(merchant.to_string());
        conditions.push(match purpose {
            Purpose::Page => format!(
                "EXISTS (SELECT 1 FROM connections c WHERE c.id = orders.connection_id AND c.merchant_id = {merchant})"
            ),
            Purpose::Count => {
                format!("connection_id IN (SELECT id FROM connections WHERE merchant_id = {merchant})")
            }
        });
    }
    if !query.statuses.is_empty() {
        let list = id_list(args, query.statuses.iter().map(|s| s.as_str()));
        conditions.push(format!("status IN ({list})"));
    }
    if let Some(marketplace) = &query.marketplace {
        conditions.push(format!(
            "marketplace_id = {}",
            args.text(marketplace.as_str())
        ));
    }
    if let Some(channel) = query.channel {
        conditions.push(format!(
            "fulfillment_channel = {}",
            args.text(channel.as_str())
        ));
    }
    if let Some(after) = query.purchased_after {
        conditions.push(format!("purchase_date_ms >= {}", args.int(millis(after))));
    }
    if let Some(before) = query.purchased_before {
        conditions.push(format!("purchase_date_ms < {}", args.int(millis(before))));
    }
    if let Some(ship_by) = query.ship_by {
        let (from, before) = match ship_by {
            ShipByFilter::DueBetween { from, before } => (Some(from), before),
            ShipByFilter::Overdue { now } => (None, now),
        };
        let list = id_list(args, AWAITING_SHIPMENT);
        conditions.push(format!("status IN ({list})"));
        if let Some(from) = from {
            conditions.push(format!("latest_ship_date_ms >= {}", args.int(millis(from))));
        }
        conditions.push(format!(
            "latest_ship_date_ms < {}",
            args.int(millis(before))
        ));
    }
    if let (Purpose::Page, Some(cursor)) = (purpose, &query.after) {
        let date = args.int(millis(cursor.purchase_date));
        let connection = args.text(cursor.connection_id.to_string());
        let order = args.text(cursor.amazon_order_id.as_str());
        conditions.push(format!(
            "(purchase_date_ms, connection_id, amazon_order_id) < ({date}, {connection}, {order})"
        ));
    }
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

/// The statuses of an order still to ship (as `OrderStatus::awaits_shipment` says), stored spelling.
const AWAITING_SHIPMENT: [&str; 2] = ["Unshipped", "PartiallyShipped"];

/// The `ORDER BY` of a sort. A deadline sort puts orders without a deadline last in both engines (SQLite sorts
/// NULL first, PostgreSQL last, unless told).
fn order_by(sort: OrderSort) -> &'static str {
    match sort {
        OrderSort::PurchasedNewest => {
            "purchase_date_ms DESC, connection_id DESC, amazon_order_id DESC"
        }
        OrderSort::ShipByEarliest => {
            "latest_ship_date_ms ASC NULLS LAST, connection_id ASC, amazon_order_id ASC"
        }
        OrderSort::ShipByLatest => {
            "latest_ship_date_ms DESC NULLS LAST, connection_id DESC, amazon_order_id DESC"
        }
    }
}

/// `SELECT {columns} FROM orders WHERE … ORDER BY … LIMIT … OFFSET …` for a page of the query; a cursor with a
/// sort other than newest purchase first is refused.
fn page_sql(query: &OrderQuery, args: &mut Args, columns: &str) -> StoreResult<String> {
    if query.after.is_some() && query.sort != OrderSort::PurchasedNewest {
        return Err(StoreError::invalid(
            "order query",
            "a cursor pages newest purchase first only; page by offset when sorting by ship-by date",
        ));
    }
    let filter = filter_sql(query, args, Purpose::Page);
    let limit = args.int(i64::from(query.limit));
    let offset = args.int(i64::try_from(query.offset).unwrap_or(i64::MAX));
    let order_by = order_by(query.sort);
    Ok(format!(
        "SELECT {columns} FROM orders{filter} ORDER BY {order_by} LIMIT {limit} OFFSET {offset}"
    ))
}

pub(super) async fn orders(
    pool: &Pool,
    seal: Seal<'_>,
    query: &OrderQuery,
) -> StoreResult<Vec<StoredOrder>> {
    let mut args = Args::new(pool.engine());
    let sql = page_sql(query, &mut args, order_columns!())?;
    let mut tx = pool.begin_read().await?;
    let rows: Vec<OrderRow> = on_conn!(tx.handle(), |c| {
        bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
            .fetch_all(&mut *c)
            .await?
    });
    let orders = with_items(tx.handle(), rows, seal).await?;
    tx.commit().await?;
    Ok(orders)
}

/// A row of [`order_list`]: the order's columns and its item count.
#[derive(sqlx::FromRow)]
struct ListedRow {
    #[sqlx(flatten)]
    order: OrderRow,
    item_count: i64,
}

pub(super) async fn order_list(pool: &Pool, query: &OrderQuery) -> StoreResult<Vec<ListedOrder>> {
    const COLUMNS: &str = concat!(
        listed_order_columns!(),
        ", (SELECT COUNT(*) FROM order_items i \
         WHERE i.connection_id = orders.connection_id AND i.amazon_order_id = orders.amazon_order_id) AS item_count"
    );
    let mut args = Args::new(pool.engine());
    let sql = page_sql(query, &mut args, COLUMNS)?;
    let rows: Vec<ListedRow> = on_pool!(pool, |pool| {
        bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
            .fetch_all(pool)
            .await?
    });
    rows.into_iter()
        .map(|row| {
            Ok(ListedOrder {
                stored: row
                    .order
                    .without_buyer_data()
                    .into_stored(Vec::new(), None)?,
                item_count: Column::new("orders", "item_count").count(row.item_count)?,
            })
        })
        .collect()
}

pub(super) async fn count_orders(pool: &Pool, query: &OrderQuery) -> StoreResult<u64> {
    let mut args = Args::new(pool.engine());
    let filter = filter_sql(query, &mut args, Purpose::Count);
    let sql = format!("SELECT COUNT(*) FROM orders{filter}");
    let count: i64 = on_pool!(pool, |pool| {
        bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(sql)), args)
            .fetch_one(pool)
            .await?
    });
    Column::new("orders", "COUNT(*)").count(count)
}

pub(super) async fn order(
    pool: &Pool,
    seal: Seal<'_>,
    connection_id: ConnectionId,
    amazon_order_id: &AmazonOrderId,
) -> StoreResult<Option<StoredOrder>> {
    const SQL: &str = concat!(
        "SELECT ",
        order_columns!(),
        " FROM orders WHERE connection_id = $1 AND amazon_order_id = $2"
    );
    let mut tx = pool.begin_read().await?;
    let rows: Vec<OrderRow> = on_conn!(tx.handle(), |c| {
        sqlx::query_as(SQL)
            .bind(connection_id.to_string())
            .bind(amazon_order_id.as_str().to_owned())
            .fetch_all(&mut *c)
            .await?
    });
    let order = with_items(tx.handle(), rows, seal).await?.pop();
    tx.commit().await?;
    Ok(order)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    amazon_order_id: String,
    last_update_ms: i64,
    item_count: i64,
}

/// The summary columns, and how each row is counted, for [`order_ids`] and [`order_summaries`].
macro_rules! summary_select {
    () => {
        "SELECT o.amazon_order_id, o.last_update_ms, \
        (SELECT COUNT(*) FROM order_items i \
         WHERE i.connection_id = o.connection_id AND i.amazon_order_id = o.amazon_order_id) AS item_count \
        FROM orders o WHERE o.connection_id = "
    };
}

pub(super) async fn order_ids(
    pool: &Pool,
    connection_id: ConnectionId,
) -> StoreResult<Vec<OrderSummary>> {
    const SQL: &str = concat!(summary_select!(), "$1 ORDER BY o.amazon_order_id");
    let rows: Vec<SummaryRow> = on_pool!(pool, |pool| {
        sqlx::query_as(SQL)
            .bind(connection_id.to_string())
            .fetch_all(pool)
            .await?
    });
    rows.into_iter().map(SummaryRow::into_summary).collect()
}

/// The summaries of those of `ids` the connection has stored, in no particular order; one statement per
/// [`IDS_PER_STATEMENT`] ids.
pub(super) async fn order_summaries(
    pool: &Pool,
    connection_id: ConnectionId,
    ids: &[&AmazonOrderId],
) -> StoreResult<Vec<OrderSummary>> {
    let connection = connection_id.to_string();
    let mut summaries = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_STATEMENT) {
        let mut args = Args::new(pool.engine());
        let key = args.text(connection.as_str());
        let list = id_list(&mut args, chunk.iter().map(|id| id.as_str()));
        let sql = format!(
            concat!(summary_select!(), "{} AND o.amazon_order_id IN ({})"),
            key, list
        );
        let rows: Vec<SummaryRow> = on_pool!(pool, |pool| {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
                .fetch_all(pool)
                .await?
        });
        for row in rows {
            summaries.push(row.into_summary()?);
        }
    }
    Ok(summaries)
}

impl SummaryRow {
    fn into_summary(self) -> StoreResult<OrderSummary> {
        let col = |name| Column::new("orders", name);
        Ok(OrderSummary {
            amazon_order_id: col("amazon_order_id")
                .parse(AmazonOrderId::from_amazon(&self.amazon_order_id))?,
            last_update: col("last_update_ms").instant(self.last_update_ms)?,
            item_count: col("item_count").count(self.item_count)?,
        })
    }
}
