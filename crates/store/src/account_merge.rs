//! One connection per seller account and region (migration 0600): [`Store::migrate`] fills `account_region` for
//! connections stored before it and merges an account connected twice — once through MWS, once through SP-API, as
//! the old schema allowed — into one connection, so that each order is stored once.
//!
//! **Which connection stays:** the one verified most recently (a connection never verified counts as older than any
//! verified one), then the one created last: the credential Amazon accepted last is the one most likely to work.
//!
//! **What moves to it**, in one transaction with a `connections_merged` audit entry (actor `system:migration`):
//! - orders: for each Amazon order id the row with the newer `last_update_ms`, with its own items (on a tie the kept
//!   connection's row);
//! - shipment confirmations, all of them; the same parcel recorded on both (order + tracking number, the table's
//!   unique key) is one parcel and is kept once: the row furthest along (`confirmed` > `submitted` > `queued` >
//!   `rejected`, a tie to the kept connection);
//! - stock levels: per SKU the row changed last (`updated_at_ms`, then `revision`);
//! - notification deliveries (a delivery the kept connection already has for the same kind, cycle, offset and channel
//!   is dropped), audit entries and sync runs are re-pointed;
//! - sync watermarks: per stream the older of the two, so the next import skips nothing;
//! - the other connection's sync lease is dropped, then the connection itself.
//!
//! Work handed to Amazon through the other API and not answered yet (an MWS feed id) cannot be asked about through
//! the kept connection's API, so it is queued again ([`requeue_in_flight`]).

use std::collections::BTreeMap;

use jiff::Timestamp;
use sellerlink_domain::audit::{Actor, AuditAction, AuditEntry};
use sellerlink_domain::connection::Connection;
use sellerlink_domain::ids::ConnectionId;

use crate::audit::write_audit;
use crate::codec::millis;
use crate::connection_row::{ConnectionRow, account_region, connection_select};
use crate::engine::{Handle, on_conn};
use crate::error::{StoreError, StoreResult};
use crate::leases::LeaseName;
use crate::store::Store;

/// How far a shipment got, to keep the one furthest along when both connections recorded the same parcel.
macro_rules! shipment_rank {
    ($alias:literal) => {
        concat!(
            "CASE ",
            $alias,
            ".state WHEN 'confirmed' THEN 3 WHEN 'submitted' THEN 2 WHEN 'queued' THEN 1 ELSE 0 END"
        )
    };
}

/// Moves what the removed connection (`$1`) holds to the kept one (`$2`), in this order.
const MOVE_TO_KEPT: [&str; 18] = [
    // Orders: the kept connection's copy gives way where the other copy is newer (items first) …
    "DELETE FROM order_items WHERE connection_id = $2 AND amazon_order_id IN (SELECT k.amazon_order_id \
     FROM orders k JOIN orders r ON r.amazon_order_id = k.amazon_order_id \
     WHERE k.connection_id = $2 AND r.connection_id = $1 AND r.last_update_ms > k.last_update_ms)",
    "DELETE FROM orders WHERE connection_id = $2 AND amazon_order_id IN (SELECT k.amazon_order_id \
     FROM orders k JOIN orders r ON r.amazon_order_id = k.amazon_order_id \
     WHERE k.connection_id = $2 AND r.connection_id = $1 AND r.last_update_ms > k.last_update_ms)",
    // … the other copies of orders the kept connection still holds go …
    "DELETE FROM order_items WHERE connection_id = $1 \
     AND amazon_order_id IN (SELECT amazon_order_id FROM orders WHERE connection_id = $2)",
    "DELETE FROM orders WHERE connection_id = $1 \
     AND amazon_order_id IN (SELECT amazon_order_id FROM orders WHERE connection_id = $2)",
    // … and the rest is copied over, orders before their items (the originals are deleted by `REMOVE`).
    "INSERT INTO orders (connection_id, amazon_order_id, marketplace_id, status, fulfillment_channel, \
     purchase_date_ms, last_update_ms, order_total_amount, order_total_currency, sales_channel, ship_service_level, \
     buyer_name, shipping_address_json, payment_method, latest_ship_date_ms, first_seen_at_ms, updated_at_ms, \
     buyer_kek_id, buyer_sealed) \
     SELECT $2, amazon_order_id, marketplace_id, status, fulfillment_channel, purchase_date_ms, last_update_ms, \
     order_total_amount, order_total_currency, sales_channel, ship_service_level, buyer_name, \
     shipping_address_json, payment_method, latest_ship_date_ms, first_seen_at_ms, updated_at_ms, buyer_kek_id, \
     buyer_sealed FROM orders WHERE connection_id = $1",
    "INSERT INTO order_items (connection_id, amazon_order_id, order_item_id, position, asin, sku, title, \
     quantity_ordered, quantity_shipped, item_price_amount, item_price_currency, shipping_price_amount, \
     shipping_price_currency) \
     SELECT $2, amazon_order_id, order_item_id, position, asin, sku, title, quantity_ordered, quantity_shipped, \
     item_price_amount, item_price_currency, shipping_price_amount, shipping_price_currency \
     FROM order_items WHERE connection_id = $1",
    // Shipments: the same parcel on both is kept once, the row furthest along; the rest moves.
    concat!(
        "DELETE FROM shipments WHERE id IN (SELECT CASE WHEN ",
        shipment_rank!("r"),
        " > ",
        shipment_rank!("k"),
        " THEN k.id ELSE r.id END FROM shipments r JOIN shipments k \
         ON k.amazon_order_id = r.amazon_order_id AND k.tracking_number = r.tracking_number \
         WHERE r.connection_id = $1 AND k.connection_id = $2)"
    ),
    "UPDATE shipments SET connection_id = $2 WHERE connection_id = $1",
    // Stock levels: per SKU the row changed last.
    "DELETE FROM stock_levels WHERE connection_id = $2 AND sku IN (SELECT k.sku FROM stock_levels k \
     JOIN stock_levels r ON r.sku = k.sku WHERE k.connection_id = $2 AND r.connection_id = $1 \
     AND (r.updated_at_ms > k.updated_at_ms OR (r.updated_at_ms = k.updated_at_ms AND r.revision > k.revision)))",
    "DELETE FROM stock_levels WHERE connection_id = $1 \
     AND sku IN (SELECT sku FROM stock_levels WHERE connection_id = $2)",
    "UPDATE stock_levels SET connection_id = $2 WHERE connection_id = $1",
    // Notification deliveries keep their unique key (connection, kind, cycle, offset, channel).
    "DELETE FROM notification_deliveries WHERE connection_id = $1 AND EXISTS (SELECT 1 \
     FROM notification_deliveries k WHERE k.connection_id = $2 AND k.kind = notification_deliveries.kind \
     AND k.cycle_key = notification_deliveries.cycle_key \
     AND COALESCE(k.offset_days, -1) = COALESCE(notification_deliveries.offset_days, -1) \
     AND k.channel_id = notification_deliveries.channel_id)",
    "UPDATE notification_deliveries SET connection_id = $2 WHERE connection_id = $1",
    // Sync watermarks: per stream the older one.
    "UPDATE sync_watermarks SET last_updated_after_ms = (SELECT MIN(w.last_updated_after_ms) \
     FROM sync_watermarks w WHERE w.connection_id IN ($1, $2) AND w.stream = sync_watermarks.stream) \
     WHERE connection_id = $2",
    "DELETE FROM sync_watermarks WHERE connection_id = $1 \
     AND stream IN (SELECT stream FROM sync_watermarks WHERE connection_id = $2)",
    "UPDATE sync_watermarks SET connection_id = $2 WHERE connection_id = $1",
    // History: sync runs and audit entries now tell the kept connection's story.
    "UPDATE sync_runs SET connection_id = $2 WHERE connection_id = $1",
    "UPDATE audit_log SET connection_id = $2 WHERE connection_id = $1",
];

/// Deletes what is left of the removed connection (`$1`): the originals of the orders copied over, then the row.
const REMOVE: [&str; 3] = [
    "DELETE FROM order_items WHERE connection_id = $1",
    "DELETE FROM orders WHERE connection_id = $1",
    "DELETE FROM connections WHERE id = $1",
];

/// Queues again the work of connection `$1` that was handed to Amazon and is not answered yet: shipments
/// `submitted` become `queued`, stock levels in flight become `pending` (their feed ids dropped), due at `$2`.
/// Needed when a connection's API changes: an MWS feed cannot be asked about through SP-API. Sending a shipment
/// confirmation or a quantity again is harmless (Amazon keeps one package per tracking number, and a quantity is
/// a state).
const REQUEUE_IN_FLIGHT: [&str; 2] = [
    "UPDATE shipments SET state = 'queued', feed_submission_id = NULL, next_attempt_ms = $2, updated_at_ms = $2 \
     WHERE connection_id = $1 AND state = 'submitted'",
    "UPDATE stock_levels SET state = 'pending', submitted_revision = NULL, submitted_quantity = NULL, \
     feed_submission_id = NULL, next_attempt_ms = $2, updated_at_ms = $2 \
     WHERE connection_id = $1 AND submitted_revision IS NOT NULL AND state IN ('pending', 'submitted')",
];

pub(crate) async fn requeue_in_flight(
    mut handle: Handle<'_>,
    id: ConnectionId,
    now: Timestamp,
) -> StoreResult<()> {
    for sql in REQUEUE_IN_FLIGHT {
        on_conn!(handle.reborrow(), |c| {
            sqlx::query(sql)
                .bind(id.to_string())
                .bind(millis(now))
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
    }
    Ok(())
}

/// Of an account connected more than once, the connection with the highest rank stays: verified last (never
/// verified ranks lowest), then created last.
fn rank(connection: &Connection) -> (Option<Timestamp>, Timestamp, String) {
    (
        connection.verified_at,
        connection.created_at,
        connection.id.to_string(),
    )
}

fn snapshot(connection: &Connection) -> StoreResult<serde_json::Value> {
    serde_json::to_value(connection)
        .map_err(|e| StoreError::invalid("connection snapshot", e.to_string()))
}

/// Moves everything of `removed` to `kept` and deletes `removed`, with the `connections_merged` audit entry.
async fn merge(
    mut handle: Handle<'_>,
    removed: &Connection,
    kept: &Connection,
    now: Timestamp,
) -> StoreResult<()> {
    if removed.account.api_name() != kept.account.api_name() {
        requeue_in_flight(handle.reborrow(), removed.id, now).await?;
    }
    let (removed_id, kept_id) = (removed.id.to_string(), kept.id.to_string());
    for sql in MOVE_TO_KEPT {
        on_conn!(handle.reborrow(), |c| {
            sqlx::query(sql)
                .bind(removed_id.clone())
                .bind(kept_id.clone())
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
    }
    let lease = LeaseName::sync(removed.id);
    on_conn!(handle.reborrow(), |c| {
        sqlx::query("DELETE FROM leases WHERE name = $1")
            .bind(lease.as_str().to_owned())
            .execute(&mut *c)
            .await?
            .rows_affected()
    });
    for sql in REMOVE {
        on_conn!(handle.reborrow(), |c| {
            sqlx::query(sql)
                .bind(removed_id.clone())
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
    }
    if removed.merchant_id != kept.merchant_id {
        tracing::warn!(
            removed = %removed.id, kept = %kept.id, removed_merchant = %removed.merchant_id,
            kept_merchant = %kept.merchant_id,
            "a seller account connected for two merchants was merged into the kept connection's merchant"
        );
    }
    let entry = AuditEntry {
        merchant_id: removed.merchant_id,
        connection_id: Some(kept.id),
        actor: Actor::system("migration"),
        action: AuditAction::ConnectionsMerged,
        at: now,
        before: Some(snapshot(removed)?),
        after: Some(snapshot(kept)?),
    };
    write_audit(handle, &entry).await
}

impl Store {
    /// Fills `account_region` of connections stored before migration 0600 (or by an older binary since) and merges
    /// each seller account connected more than once in a region into one connection, in one transaction. Does
    /// nothing when every row is filled, so it is cheap and safe to run at every start. Returns how many
    /// connections were merged away.
    pub(crate) async fn settle_accounts(&self) -> StoreResult<usize> {
        let mut tx = self.pool.begin().await?;
        let unsettled: Vec<String> = on_conn!(tx.handle(), |c| {
            sqlx::query_scalar("SELECT id FROM connections WHERE account_region IS NULL")
                .fetch_all(&mut *c)
                .await?
        });
        if unsettled.is_empty() {
            return Ok(0);
        }
        const SQL: &str = concat!(connection_select!(), " ORDER BY id");
        let rows: Vec<ConnectionRow> = on_conn!(tx.handle(), |c| {
            sqlx::query_as(SQL).fetch_all(&mut *c).await?
        });
        let mut accounts: BTreeMap<(String, &'static str), Vec<Connection>> = BTreeMap::new();
        for row in &rows {
            match row.to_connection() {
                Ok(connection) => accounts
                    .entry((
                        connection.account.seller_id().as_str().to_owned(),
                        account_region(&connection).code(),
                    ))
                    .or_default()
                    .push(connection),
                // Left unsettled (NULL): the rest of the store reports the corrupt row where it is read.
                Err(error) => tracing::warn!(error = %error, "a connection row could not be read"),
            }
        }
        let now = Timestamp::now();
        let mut merged = 0;
        for ((_, region), mut connections) in accounts {
            connections.sort_by_key(|c| std::cmp::Reverse(rank(c)));
            let Some((kept, removed)) = connections.split_first() else {
                continue;
            };
            for other in removed {
                merge(tx.handle(), other, kept, now).await?;
                merged += 1;
            }
            if unsettled.contains(&kept.id.to_string()) {
                on_conn!(tx.handle(), |c| {
                    sqlx::query("UPDATE connections SET account_region = $1 WHERE id = $2")
                        .bind(region)
                        .bind(kept.id.to_string())
                        .execute(&mut *c)
                        .await?
                        .rows_affected()
                });
            }
        }
        tx.commit().await?;
        if merged > 0 {
            tracing::info!(
                merged,
                "connections of the same seller account and region merged"
            );
        }
        Ok(merged)
    }
}
