//! Imported orders and their items: an idempotent, never-regressing upsert for the import engine, and the queries
//! of the web list.

mod buyer_data;
mod quarantine;
mod query;
mod retention;
mod rows;
mod upsert;

pub use buyer_data::{BuyerDataSeal, SealedBuyerData};
pub use quarantine::{MAX_RAW_BYTES, QuarantinedOrder, UnreadableOrder};
pub use retention::FINISHED_STATUSES;

use jiff::Timestamp;
use sellerlink_domain::ids::{AmazonOrderId, ConnectionId, MarketplaceId, MerchantId};
use sellerlink_domain::order::{FulfillmentChannel, Order, OrderStatus, StoredOrder};

use crate::error::StoreResult;
use crate::store::Store;
use crate::sync::SyncWatermark;

/// An order as a list shows it: everything but its items, and how many items it has. Read by
/// [`Store::order_list`], which does not read the items themselves (use [`Store::order`] for one order with them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedOrder {
    /// The stored order, with `order.items` left empty.
    pub stored: StoredOrder,
    /// How many items the order has.
    pub item_count: u64,
}

/// What an [`Store::upsert_orders`] call did, order by order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertOutcome {
    /// Orders stored for the first time.
    pub inserted: u64,
    /// Stored orders replaced by a snapshot at least as recent that differs.
    pub updated: u64,
    /// Orders identical to what was stored.
    pub unchanged: u64,
    /// Orders older than what was stored (Amazon's `LastUpdateDate` went backwards); left as they were.
    pub skipped_older: u64,
}

impl UpsertOutcome {
    /// Orders that were written (inserted or updated).
    pub fn changed(&self) -> u64 {
        self.inserted + self.updated
    }
}

/// Where a page of [`Store::orders`] ended; pass it as [`OrderQuery::after`] to read the next page. Stable while
/// orders are added, unlike an offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderCursor {
    /// The purchase date of the last order read.
    pub purchase_date: Timestamp,
    /// Its connection.
    pub connection_id: ConnectionId,
    /// Its Amazon order id.
    pub amazon_order_id: AmazonOrderId,
}

impl OrderCursor {
    /// The cursor just past this order.
    pub fn after(order: &StoredOrder) -> Self {
        Self {
            purchase_date: order.order.purchase_date,
            connection_id: order.connection_id,
            amazon_order_id: order.order.amazon_order_id.clone(),
        }
    }
}

/// The order of a page of orders. Ties are broken by connection and order id, so paging is stable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OrderSort {
    /// Newest purchase first (the default).
    #[default]
    PurchasedNewest,
    /// The earliest ship-by deadline (出荷期限, Amazon's `LatestShipDate`) first; orders without one last.
    ShipByEarliest,
    /// The latest ship-by deadline first; orders without one last.
    ShipByLatest,
}

/// Orders still to ship (Unshipped or PartiallyShipped) by their ship-by deadline (出荷期限). Orders without a
/// deadline match neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipByFilter {
    /// Due in `[from, before)`: "due today" with the bounds of today in the marketplace's time zone.
    DueBetween {
        /// The first instant of the span.
        from: Timestamp,
        /// The first instant after it.
        before: Timestamp,
    },
    /// The deadline passed before `now` and the order is not shipped.
    Overdue {
        /// The current instant.
        now: Timestamp,
    },
}

/// Which orders to list, newest purchase first unless [`OrderQuery::sort`] says otherwise. All filters combine
/// with AND; empty ones do not filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderQuery {
    /// Only this connection's orders.
    pub connection: Option<ConnectionId>,
    /// Only orders of this merchant's connections.
    pub merchant: Option<MerchantId>,
    /// Only orders in one of these statuses (empty = any status).
    pub statuses: Vec<OrderStatus>,
    /// Only orders placed in this marketplace.
    pub marketplace: Option<MarketplaceId>,
    /// Only orders with this fulfillment channel.
    pub channel: Option<FulfillmentChannel>,
    /// Only orders purchased at or after this instant.
    pub purchased_after: Option<Timestamp>,
    /// Only orders purchased before this instant.
    pub purchased_before: Option<Timestamp>,
    /// Only orders still to ship that are due in a span, or overdue.
    pub ship_by: Option<ShipByFilter>,
    /// The order of the page.
    pub sort: OrderSort,
    /// At most this many orders (a page).
    pub limit: u32,
    /// Skip this many orders first (page by number).
    pub offset: u64,
    /// Start after this order (page by cursor, newest purchase first only: with another [`OrderSort`] the query is
    /// refused; combine with `offset = 0`).
    pub after: Option<OrderCursor>,
}

impl Default for OrderQuery {
    /// Every order, the first page of 50.
    fn default() -> Self {
        Self {
            connection: None,
            merchant: None,
            statuses: Vec::new(),
            marketplace: None,
            channel: None,
            purchased_after: None,
            purchased_before: None,
            ship_by: None,
            sort: OrderSort::PurchasedNewest,
            limit: 50,
            offset: 0,
            after: None,
        }
    }
}

/// One stored order reduced to what tells two copies apart; for comparing the store with Amazon.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrderSummary {
    /// The order.
    pub amazon_order_id: AmazonOrderId,
    /// Amazon's last update of it.
    pub last_update: Timestamp,
    /// How many items it has.
    pub item_count: u64,
}

impl Store {
    /// Stores a page of orders of one connection in one transaction, and the sync watermark with them if given.
    ///
    /// An order not stored yet is inserted. A stored order is replaced (its items too: items no longer present are
    /// deleted, the others written) only when the incoming `last_update_date` is the same or later and something
    /// differs, so the same page twice changes nothing and an older snapshot never overwrites a newer one. Within
    /// the page, an order id given twice counts once (the most recent snapshot wins). Instants are stored to the
    /// millisecond. Errors: [`crate::StoreError::NotFound`] for an unknown connection, [`crate::StoreError::Invalid`]
    /// for an order listing the same item id twice; on any error nothing is written.
    pub async fn upsert_orders(
        &self,
        connection_id: ConnectionId,
        orders: &[Order],
        now: Timestamp,
        watermark: Option<&SyncWatermark>,
    ) -> StoreResult<UpsertOutcome> {
        self.import_orders(connection_id, orders, &[], now, watermark, None)
            .await
    }

    /// [`Store::upsert_orders`], and in the same transaction the page's quarantine: each order of the page leaves
    /// the quarantine, each of `unreadable` enters it (or, already there, gets its latest reason, fragment and
    /// count). An order quarantined for the first time gets one `order_quarantined` audit entry.
    ///
    /// With a `fence`, the page is written only while that lease still has the fence's owner and token, checked in
    /// the same transaction: an import that stalled past its lease, whose connection another worker has taken
    /// over since, gets [`crate::StoreError::LeaseLost`] and writes nothing.
    pub async fn import_orders(
        &self,
        connection_id: ConnectionId,
        orders: &[Order],
        unreadable: &[UnreadableOrder],
        now: Timestamp,
        watermark: Option<&SyncWatermark>,
        fence: Option<&crate::Fence>,
    ) -> StoreResult<UpsertOutcome> {
        let page = upsert::Page {
            connection_id,
            orders,
            unreadable,
            watermark,
            fence,
        };
        upsert::upsert_orders(&self.pool, self.buyer_seal(), page, now).await
    }

    /// The quarantined orders of one connection (or of every connection), the most recently first seen first.
    pub async fn quarantined_orders(
        &self,
        connection: Option<ConnectionId>,
    ) -> StoreResult<Vec<QuarantinedOrder>> {
        quarantine::list(&self.pool, connection).await
    }

    /// The earliest instant the import must re-read from for the connection's quarantined orders, if it has any.
    pub async fn earliest_quarantined(
        &self,
        connection: ConnectionId,
    ) -> StoreResult<Option<Timestamp>> {
        quarantine::earliest_relist(&self.pool, connection).await
    }

    /// One stored order, if the connection has it.
    pub async fn order(
        &self,
        connection_id: ConnectionId,
        amazon_order_id: &AmazonOrderId,
    ) -> StoreResult<Option<StoredOrder>> {
        query::order(
            &self.pool,
            self.buyer_seal(),
            connection_id,
            amazon_order_id,
        )
        .await
    }

    /// A page of orders matching the query, newest purchase first (ties by connection and order id, descending).
    pub async fn orders(&self, query: &OrderQuery) -> StoreResult<Vec<StoredOrder>> {
        query::orders(&self.pool, self.buyer_seal(), query).await
    }

    /// A page of orders matching the query like [`Store::orders`], without their items but with how many each
    /// has: one statement, for lists that show a count of items rather than the items.
    pub async fn order_list(&self, query: &OrderQuery) -> StoreResult<Vec<ListedOrder>> {
        query::order_list(&self.pool, query).await
    }

    /// How many orders match the query's filters (its limit, offset and cursor are ignored).
    pub async fn count_orders(&self, query: &OrderQuery) -> StoreResult<u64> {
        query::count_orders(&self.pool, query).await
    }

    /// Erases the buyer's name and shipping address of every finished order ([`FINISHED_STATUSES`]) Amazon last
    /// updated before `last_updated_before`, in one statement; returns how many orders lost buyer data. The
    /// orders, their items and statuses stay; orders still to be shipped keep their address whatever their age.
    pub async fn erase_buyer_data(
        &self,
        last_updated_before: Timestamp,
        now: Timestamp,
    ) -> StoreResult<u64> {
        retention::erase_buyer_data(&self.pool, last_updated_before, now).await
    }

    /// The summaries of those of `ids` the connection has stored (in no particular order): what an import needs to
    /// tell which listed orders are new or changed, read per page rather than for the whole order history.
    pub async fn order_summaries(
        &self,
        connection_id: ConnectionId,
        ids: &[&AmazonOrderId],
    ) -> StoreResult<Vec<OrderSummary>> {
        query::order_summaries(&self.pool, connection_id, ids).await
    }

    /// Every order of a connection, summarized, by order id.
    pub async fn order_ids(&self, connection_id: ConnectionId) -> StoreResult<Vec<OrderSummary>> {
        query::order_ids(&self.pool, connection_id).await
    }
}
