//! The import engine's write: a page of orders in one transaction, never regressing to an older snapshot.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use sellerlink_domain::ids::ConnectionId;
use sellerlink_domain::order::{Order, StoredOrder};

use super::UpsertOutcome;
use super::buyer_data::{self, Seal};
use super::quarantine::{self, UnreadableOrder};
use super::rows::{
    IDS_PER_STATEMENT, ITEM_WIDTH, ORDER_WIDTH, OrderRow, id_list, item_columns, order_columns,
    push_item, push_order, with_items,
};
use crate::codec::{millis, to_stored_precision};
use crate::engine::{Args, Engine, Handle, Pool, bind_args, on_conn, values_tuples};
use crate::error::{StoreError, StoreResult};
use crate::leases::{Fence, check_fence};
use crate::sync::{SyncWatermark, write_watermark};

/// Orders per multi-row INSERT: 17 values each, 17,000 in all, under SQLite's limit of 32,766 parameters per
/// statement (PostgreSQL allows 65,535). Few large statements beat many small ones: every statement is a round
/// trip, and sqlx 0.9.0 leaves Nagle's algorithm on, so a round trip over TLS can wait ~40 ms.
const ORDERS_PER_STATEMENT: usize = 1_000;
/// Items per multi-row INSERT: 13 values each, 26,000 in all.
const ITEMS_PER_STATEMENT: usize = 2_000;

/// The page as it will read back: one snapshot per order id (the most recent; the later one on a tie), instants
/// cut to milliseconds, no item id twice within an order.
fn normalize(orders: &[Order]) -> StoreResult<Vec<Order>> {
    let mut position: HashMap<&str, usize> = HashMap::new();
    let mut page: Vec<Order> = Vec::with_capacity(orders.len());
    for order in orders {
        let mut seen = HashSet::new();
        if let Some(item) = order.items.iter().find(|i| !seen.insert(&i.order_item_id)) {
            return Err(StoreError::invalid(
                "order items",
                format!(
                    "order {} lists item {} twice; expected each order item id once",
                    order.amazon_order_id, item.order_item_id
                ),
            ));
        }
        let key = order.amazon_order_id.as_str();
        let mut normalized = order.clone();
        normalized.purchase_date = to_stored_precision(order.purchase_date);
        normalized.last_update_date = to_stored_precision(order.last_update_date);
        normalized.latest_ship_date = order.latest_ship_date.map(to_stored_precision);
        match position.get(key) {
            Some(&at) if page[at].last_update_date > normalized.last_update_date => {}
            Some(&at) => page[at] = normalized,
            None => {
                position.insert(key, page.len());
                page.push(normalized);
            }
        }
    }
    Ok(page)
}

/// The stored versions of some orders of one connection, locked against concurrent writers on PostgreSQL
/// (`FOR UPDATE`; SQLite's `BEGIN IMMEDIATE` already excludes other writers).
async fn stored_orders(
    mut handle: Handle<'_>,
    seal: Seal<'_>,
    connection_id: &str,
    page: &[Order],
) -> StoreResult<HashMap<String, StoredOrder>> {
    let mut found = HashMap::new();
    for chunk in page.chunks(IDS_PER_STATEMENT) {
        let mut args = Args::new(handle.engine());
        let connection = args.text(connection_id);
        let ids = id_list(&mut args, chunk.iter().map(|o| o.amazon_order_id.as_str()));
        let lock = match handle.engine() {
            Engine::Postgres => " FOR UPDATE",
            Engine::Sqlite => "",
        };
        let sql = format!(
            concat!(
                "SELECT ",
                order_columns!(),
                " FROM orders WHERE connection_id = {} AND amazon_order_id IN ({}){}"
            ),
            connection, ids, lock
        );
        let rows: Vec<OrderRow> = on_conn!(handle.reborrow(), |c| {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
                .fetch_all(&mut *c)
                .await?
        });
        for stored in with_items(handle.reborrow(), rows, seal).await? {
            found.insert(stored.order.amazon_order_id.as_str().to_owned(), stored);
        }
    }
    Ok(found)
}

async fn connection_exists(handle: Handle<'_>, connection_id: &str) -> StoreResult<bool> {
    const SQL: &str = "SELECT COUNT(*) FROM connections WHERE id = $1";
    let count: i64 = on_conn!(handle, |c| {
        sqlx::query_scalar(SQL)
            .bind(connection_id.to_owned())
            .fetch_one(&mut *c)
            .await?
    });
    Ok(count > 0)
}

async fn delete_items(
    mut handle: Handle<'_>,
    connection_id: &str,
    order_ids: &[&str],
) -> StoreResult<()> {
    for chunk in order_ids.chunks(IDS_PER_STATEMENT) {
        let mut args = Args::new(handle.engine());
        let connection = args.text(connection_id);
        let ids = id_list(&mut args, chunk.iter().copied());
        let sql = format!(
            "DELETE FROM order_items WHERE connection_id = {connection} AND amazon_order_id IN ({ids})"
        );
        on_conn!(handle.reborrow(), |c| {
            bind_args!(sqlx::query(sqlx::AssertSqlSafe(sql)), args)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
    }
    Ok(())
}

/// Inserts or replaces order rows. The `WHERE` keeps a concurrent newer snapshot from being overwritten even if
/// two writers raced past the comparison.
async fn write_orders(
    mut handle: Handle<'_>,
    seal: Seal<'_>,
    connection_id: ConnectionId,
    orders: &[&Order],
    now_ms: i64,
) -> StoreResult<()> {
    let connection = connection_id.to_string();
    for chunk in orders.chunks(ORDERS_PER_STATEMENT) {
        let mut args = Args::new(handle.engine());
        for order in chunk {
            let buyer = buyer_data::seal(seal, order)?;
            push_order(&mut args, &connection, order, buyer, now_ms, now_ms)?;
        }
        let sql = format!(
            concat!(
                "INSERT INTO orders (",
                order_columns!(),
                ") VALUES {} ON CONFLICT (connection_id, amazon_order_id) DO UPDATE SET \
                 marketplace_id = excluded.marketplace_id, status = excluded.status, \
                 fulfillment_channel = excluded.fulfillment_channel, purchase_date_ms = excluded.purchase_date_ms, \
                 last_update_ms = excluded.last_update_ms, order_total_amount = excluded.order_total_amount, \
                 order_total_currency = excluded.order_total_currency, sales_channel = excluded.sales_channel, \
                 ship_service_level = excluded.ship_service_level, buyer_name = excluded.buyer_name, \
                 shipping_address_json = excluded.shipping_address_json, payment_method = excluded.payment_method, \
                 latest_ship_date_ms = excluded.latest_ship_date_ms, updated_at_ms = excluded.updated_at_ms, \
                 buyer_kek_id = excluded.buyer_kek_id, buyer_sealed = excluded.buyer_sealed \
                 WHERE orders.last_update_ms <= excluded.last_update_ms"
            ),
            values_tuples(handle.engine(), chunk.len(), ORDER_WIDTH)
        );
        debug_assert_eq!(args.len(), chunk.len() * ORDER_WIDTH);
        on_conn!(handle.reborrow(), |c| {
            bind_args!(prepared sqlx::query(sqlx::AssertSqlSafe(sql)), args)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
    }
    Ok(())
}

async fn write_items(
    mut handle: Handle<'_>,
    connection_id: &str,
    orders: &[&Order],
) -> StoreResult<()> {
    let items: Vec<_> = orders
        .iter()
        .flat_map(|order| {
            order
                .items
                .iter()
                .enumerate()
                .map(move |(position, item)| (&order.amazon_order_id, position, item))
        })
        .collect();
    for chunk in items.chunks(ITEMS_PER_STATEMENT) {
        let mut args = Args::new(handle.engine());
        for (order_id, position, item) in chunk {
            push_item(&mut args, connection_id, order_id, *position, item)?;
        }
        let sql = format!(
            concat!("INSERT INTO order_items (", item_columns!(), ") VALUES {}"),
            values_tuples(handle.engine(), chunk.len(), ITEM_WIDTH)
        );
        on_conn!(handle.reborrow(), |c| {
            bind_args!(prepared sqlx::query(sqlx::AssertSqlSafe(sql)), args)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
    }
    Ok(())
}

/// One page of an import, as [`crate::Store::import_orders`] takes it.
pub(super) struct Page<'a> {
    pub(super) connection_id: ConnectionId,
    pub(super) orders: &'a [Order],
    pub(super) unreadable: &'a [UnreadableOrder],
    pub(super) watermark: Option<&'a SyncWatermark>,
    pub(super) fence: Option<&'a Fence>,
}

pub(super) async fn upsert_orders(
    pool: &Pool,
    seal: Seal<'_>,
    page: Page<'_>,
    now: Timestamp,
) -> StoreResult<UpsertOutcome> {
    let Page {
        connection_id,
        orders,
        unreadable,
        watermark,
        fence,
    } = page;
    let page = normalize(orders)?;
    // A pass that found nothing new moves only the watermark: one fenced statement, no transaction around it.
    if page.is_empty()
        && unreadable.is_empty()
        && let Some(watermark) = watermark
    {
        crate::sync::write_watermark_alone(pool, connection_id, watermark, now, fence).await?;
        return Ok(UpsertOutcome::default());
    }
    let connection = connection_id.to_string();
    let mut tx = pool.begin().await?;
    if let Some(fence) = fence {
        check_fence(tx.handle(), fence).await?;
    }
    if !connection_exists(tx.handle(), &connection).await? {
        return Err(StoreError::not_found("connection", connection_id));
    }
    let stored = stored_orders(tx.handle(), seal, &connection, &page).await?;
    let mut outcome = UpsertOutcome::default();
    let mut to_write: Vec<&Order> = Vec::new();
    let mut replaced: Vec<&str> = Vec::new();
    for order in &page {
        match stored.get(order.amazon_order_id.as_str()) {
            None => {
                outcome.inserted += 1;
                to_write.push(order);
            }
            Some(old) if order.last_update_date < old.order.last_update_date => {
                outcome.skipped_older += 1;
            }
            Some(old) if *order == old.order => outcome.unchanged += 1,
            Some(_) => {
                outcome.updated += 1;
                replaced.push(order.amazon_order_id.as_str());
                to_write.push(order);
            }
        }
    }
    delete_items(tx.handle(), &connection, &replaced).await?;
    write_orders(tx.handle(), seal, connection_id, &to_write, millis(now)).await?;
    write_items(tx.handle(), &connection, &to_write).await?;
    let read: Vec<&str> = page.iter().map(|o| o.amazon_order_id.as_str()).collect();
    quarantine::write(tx.handle(), connection_id, &read, unreadable, now).await?;
    if let Some(watermark) = watermark {
        write_watermark(tx.handle(), connection_id, watermark, now).await?;
    }
    tx.commit().await?;
    Ok(outcome)
}
