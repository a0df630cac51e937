//! How orders and their items are laid out in `orders` and `order_items`, and how a set of orders is read back
//! with its items.

use std::collections::HashMap;

use sellerlink_domain::ids::{AmazonOrderId, ConnectionId, MarketplaceId};
use sellerlink_domain::order::{
    Address, FulfillmentChannel, Money, Order, OrderItem, OrderStatus, PaymentMethod, StoredOrder,
};

use super::buyer_data::{self, Seal, SealedBuyerData};
use crate::codec::{Column, millis, opt_millis, stored_count};
use crate::engine::{Arg, Args, Handle, bind_args, on_conn};
use crate::error::StoreResult;

/// The columns of `orders`, in [`OrderRow`]'s order.
macro_rules! order_columns {
    () => {
        "connection_id, amazon_order_id, marketplace_id, status, fulfillment_channel, purchase_date_ms, \
         last_update_ms, order_total_amount, order_total_currency, sales_channel, ship_service_level, buyer_name, \
         shipping_address_json, payment_method, latest_ship_date_ms, first_seen_at_ms, updated_at_ms, buyer_kek_id, \
         buyer_sealed"
    };
}
pub(super) use order_columns;

/// [`order_columns!`] for lists, which never open buyer data: its columns are not even read (NULL in their place),
/// so a page of orders does not carry every row's sealed text from the database.
macro_rules! listed_order_columns {
    () => {
        "connection_id, amazon_order_id, marketplace_id, status, fulfillment_channel, purchase_date_ms, \
         last_update_ms, order_total_amount, order_total_currency, sales_channel, ship_service_level, \
         NULL AS buyer_name, NULL AS shipping_address_json, payment_method, latest_ship_date_ms, first_seen_at_ms, \
         updated_at_ms, NULL AS buyer_sealed"
    };
}
pub(super) use listed_order_columns;

/// How many columns [`order_columns!`] names.
pub(super) const ORDER_WIDTH: usize = 19;

/// The columns of `order_items`, in [`ItemRow`]'s order.
macro_rules! item_columns {
    () => {
        "connection_id, amazon_order_id, order_item_id, position, asin, sku, title, quantity_ordered, \
         quantity_shipped, item_price_amount, item_price_currency, shipping_price_amount, shipping_price_currency"
    };
}
pub(super) use item_columns;

/// How many columns [`item_columns!`] names.
pub(super) const ITEM_WIDTH: usize = 13;

/// Most ids in one `IN (…)` list.
pub(super) const IDS_PER_STATEMENT: usize = 1_000;

fn money_parts(money: Option<&Money>) -> (Option<String>, Option<String>) {
    match money {
        Some(m) => (Some(m.amount.clone()), Some(m.currency.clone())),
        None => (None, None),
    }
}

/// Appends one `orders` row, in [`order_columns!`] order, with its buyer data sealed (the clear columns from before
/// migration 0800 are left empty).
pub(super) fn push_order(
    args: &mut Args,
    connection_id: &str,
    order: &Order,
    buyer: Option<SealedBuyerData>,
    first_seen_at_ms: i64,
    updated_at_ms: i64,
) -> StoreResult<()> {
    let (total_amount, total_currency) = money_parts(order.order_total.as_ref());
    let (buyer_kek_id, buyer_sealed) = buyer.map(|b| (b.kek_id, b.sealed)).unzip();
    args.text(connection_id);
    args.text(order.amazon_order_id.as_str());
    args.text(order.marketplace_id.as_str());
    args.text(order.status.as_str());
    args.opt_text(order.fulfillment_channel.map(|c| c.as_str().to_owned()));
    args.int(millis(order.purchase_date));
    args.int(millis(order.last_update_date));
    args.opt_text(total_amount);
    args.opt_text(total_currency);
    args.opt_text(order.sales_channel.clone());
    args.opt_text(order.ship_service_level.clone());
    args.opt_text(None);
    args.opt_text(None);
    args.opt_text(order.payment_method.clone().map(String::from));
    args.opt_int(opt_millis(order.latest_ship_date));
    args.int(first_seen_at_ms);
    args.int(updated_at_ms);
    args.opt_text(buyer_kek_id);
    args.opt_text(buyer_sealed);
    Ok(())
}

/// Appends one `order_items` row, in [`item_columns!`] order.
pub(super) fn push_item(
    args: &mut Args,
    connection_id: &str,
    order_id: &AmazonOrderId,
    position: usize,
    item: &OrderItem,
) -> StoreResult<()> {
    let (price_amount, price_currency) = money_parts(item.item_price.as_ref());
    let (shipping_amount, shipping_currency) = money_parts(item.shipping_price.as_ref());
    args.text(connection_id);
    args.text(order_id.as_str());
    args.text(item.order_item_id.clone());
    args.int(stored_count("order item position", position)?);
    args.text(item.asin.clone());
    args.opt_text(item.seller_sku.clone());
    args.opt_text(item.title.clone());
    args.push(Arg::Int(Some(i64::from(item.quantity_ordered))));
    args.push(Arg::Int(Some(i64::from(item.quantity_shipped))));
    args.opt_text(price_amount);
    args.opt_text(price_currency);
    args.opt_text(shipping_amount);
    args.opt_text(shipping_currency);
    Ok(())
}

fn money(
    column: Column,
    amount: Option<String>,
    currency: Option<String>,
) -> StoreResult<Option<Money>> {
    match (amount, currency) {
        // Rows imported before amounts were normalized (`7360.00` JPY) read in the normal form too.
        (Some(amount), Some(currency)) => Ok(Some(
            Money::new(&currency, &amount).unwrap_or(Money { currency, amount }),
        )),
        (None, None) => Ok(None),
        _ => Err(column.corrupt("amount and currency are not both set or both empty")),
    }
}

/// An `orders` row.
#[derive(sqlx::FromRow)]
pub(super) struct OrderRow {
    connection_id: String,
    amazon_order_id: String,
    marketplace_id: String,
    status: String,
    fulfillment_channel: Option<String>,
    purchase_date_ms: i64,
    last_update_ms: i64,
    order_total_amount: Option<String>,
    order_total_currency: Option<String>,
    sales_channel: Option<String>,
    ship_service_level: Option<String>,
    buyer_name: Option<String>,
    shipping_address_json: Option<String>,
    payment_method: Option<String>,
    latest_ship_date_ms: Option<i64>,
    first_seen_at_ms: i64,
    updated_at_ms: i64,
    buyer_sealed: Option<String>,
}

impl OrderRow {
    /// The row with its buyer data left out (for lists, which never open it).
    pub(super) fn without_buyer_data(self) -> Self {
        Self {
            buyer_name: None,
            shipping_address_json: None,
            buyer_sealed: None,
            ..self
        }
    }

    /// The buyer's name and address: opened with the seal, or as written in clear before migration 0800.
    fn buyer_data(
        &self,
        seal: Seal<'_>,
        order_id: &AmazonOrderId,
    ) -> StoreResult<(Option<String>, Option<Address>)> {
        if let Some(sealed) = &self.buyer_sealed {
            return buyer_data::open(seal, order_id, sealed);
        }
        let address = self
            .shipping_address_json
            .as_deref()
            .map(|text| Column::new("orders", "shipping_address_json").json(text))
            .transpose()?;
        Ok((self.buyer_name.clone(), address))
    }

    pub(super) fn into_stored(
        self,
        items: Vec<OrderItem>,
        seal: Seal<'_>,
    ) -> StoreResult<StoredOrder> {
        let col = |name| Column::new("orders", name);
        let fulfillment_channel = self
            .fulfillment_channel
            .as_deref()
            .map(|text| col("fulfillment_channel").known(FulfillmentChannel::parse(text), text))
            .transpose()?;
        let connection_id = col("connection_id").parse(ConnectionId::parse(&self.connection_id))?;
        let amazon_order_id =
            col("amazon_order_id").parse(AmazonOrderId::from_amazon(&self.amazon_order_id))?;
        let (buyer_name, shipping_address) = self.buyer_data(seal, &amazon_order_id)?;
        Ok(StoredOrder {
            connection_id,
            order: Order {
                amazon_order_id,
                marketplace_id: col("marketplace_id")
                    .parse(MarketplaceId::parse(&self.marketplace_id))?,
                status: OrderStatus::parse(&self.status),
                fulfillment_channel,
                purchase_date: col("purchase_date_ms").instant(self.purchase_date_ms)?,
                last_update_date: col("last_update_ms").instant(self.last_update_ms)?,
                order_total: money(
                    col("order_total_amount"),
                    self.order_total_amount,
                    self.order_total_currency,
                )?,
                sales_channel: self.sales_channel,
                ship_service_level: self.ship_service_level,
                buyer_name,
                shipping_address,
                payment_method: self.payment_method.map(PaymentMethod::from),
                latest_ship_date: col("latest_ship_date_ms")
                    .opt_instant(self.latest_ship_date_ms)?,
                items,
            },
            first_seen_at: col("first_seen_at_ms").instant(self.first_seen_at_ms)?,
            updated_at: col("updated_at_ms").instant(self.updated_at_ms)?,
        })
    }
}

/// An `order_items` row as read back (the connection is known to the caller; the position only sorts).
#[derive(sqlx::FromRow)]
struct ItemRow {
    amazon_order_id: String,
    order_item_id: String,
    asin: String,
    sku: Option<String>,
    title: Option<String>,
    quantity_ordered: i64,
    quantity_shipped: i64,
    item_price_amount: Option<String>,
    item_price_currency: Option<String>,
    shipping_price_amount: Option<String>,
    shipping_price_currency: Option<String>,
}

impl ItemRow {
    fn into_item(self) -> StoreResult<(String, OrderItem)> {
        let col = |name| Column::new("order_items", name);
        let item = OrderItem {
            order_item_id: self.order_item_id,
            asin: self.asin,
            seller_sku: self.sku,
            title: self.title,
            quantity_ordered: col("quantity_ordered").count(self.quantity_ordered)?,
            quantity_shipped: col("quantity_shipped").count(self.quantity_shipped)?,
            item_price: money(
                col("item_price_amount"),
                self.item_price_amount,
                self.item_price_currency,
            )?,
            shipping_price: money(
                col("shipping_price_amount"),
                self.shipping_price_amount,
                self.shipping_price_currency,
            )?,
        };
        Ok((self.amazon_order_id, item))
    }
}

/// `$a, $b, …` for the ids, pushed onto `args`.
pub(super) fn id_list<'a>(args: &mut Args, ids: impl IntoIterator<Item = &'a str>) -> String {
    ids.into_iter()
        .map(|id| args.text(id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The items of some orders of one connection, by order id, in their original order.
async fn items_of(
    mut handle: Handle<'_>,
    connection_id: &str,
    order_ids: &[&str],
) -> StoreResult<HashMap<String, Vec<OrderItem>>> {
    let mut items: HashMap<String, Vec<OrderItem>> = HashMap::new();
    for chunk in order_ids.chunks(IDS_PER_STATEMENT) {
        let mut args = Args::new(handle.engine());
        let connection = args.text(connection_id);
        let ids = id_list(&mut args, chunk.iter().copied());
        let sql = format!(
            concat!(
                "SELECT amazon_order_id, order_item_id, asin, sku, title, quantity_ordered, quantity_shipped, \
                 item_price_amount, item_price_currency, shipping_price_amount, shipping_price_currency \
                 FROM order_items WHERE connection_id = {} AND amazon_order_id IN ({}) \
                 ORDER BY amazon_order_id, position"
            ),
            connection, ids
        );
        let rows: Vec<ItemRow> = on_conn!(handle.reborrow(), |c| {
            bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(sql)), args)
                .fetch_all(&mut *c)
                .await?
        });
        for row in rows {
            let (order_id, item) = row.into_item()?;
            items.entry(order_id).or_default().push(item);
        }
    }
    Ok(items)
}

/// Turns order rows into stored orders with their items, keeping the rows' order.
pub(super) async fn with_items(
    mut handle: Handle<'_>,
    rows: Vec<OrderRow>,
    seal: Seal<'_>,
) -> StoreResult<Vec<StoredOrder>> {
    let mut by_connection: HashMap<&str, Vec<&str>> = HashMap::new();
    for row in &rows {
        by_connection
            .entry(row.connection_id.as_str())
            .or_default()
            .push(row.amazon_order_id.as_str());
    }
    let mut items: HashMap<(String, String), Vec<OrderItem>> = HashMap::new();
    for (connection_id, order_ids) in by_connection {
        for (order_id, list) in items_of(handle.reborrow(), connection_id, &order_ids).await? {
            items.insert((connection_id.to_owned(), order_id), list);
        }
    }
    rows.into_iter()
        .map(|row| {
            let key = (row.connection_id.clone(), row.amazon_order_id.clone());
            let list = items.remove(&key).unwrap_or_default();
            row.into_stored(list, seal)
        })
        .collect()
}
