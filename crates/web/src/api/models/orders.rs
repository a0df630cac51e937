//! Imported orders: the list, one order with its items and address, and their filters.

use jiff::Timestamp;
use sellerlink_domain::order::{Address, Money, OrderItem, StoredOrder};
use sellerlink_store::ListedOrder;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// An amount of money, with exactly its currency's decimals whichever API imported it (`7360` JPY, `12.50` USD).
#[derive(Debug, Serialize, ToSchema)]
pub struct MoneyOut {
    /// ISO 4217 code.
    #[schema(example = "JPY")]
    pub currency: String,
    /// Decimal amount with the currency's decimals (none for JPY).
    #[schema(example = "1507")]
    pub amount: String,
}

impl From<&Money> for MoneyOut {
    fn from(money: &Money) -> Self {
        let money = money.normalized().unwrap_or_else(|| money.clone());
        Self {
            currency: money.currency,
            amount: money.amount,
        }
    }
}

/// An order in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderOut {
    /// The connection it was imported through.
    pub connection_id: Uuid,
    /// Amazon's order number.
    #[schema(example = "503-1234567-1234567")]
    pub amazon_order_id: String,
    /// The marketplace.
    #[schema(example = "A1VC38T7YXB528")]
    pub marketplace_id: String,
    /// Amazon's order status, e.g. `Unshipped`.
    #[schema(example = "Unshipped")]
    pub status: String,
    /// `MFN` (the 3PL ships) or `AFN` (Amazon ships).
    pub fulfillment_channel: Option<String>,
    /// When it was bought.
    #[schema(value_type = String, format = DateTime)]
    pub purchase_date: Timestamp,
    /// Amazon's last change of it.
    #[schema(value_type = String, format = DateTime)]
    pub last_update_date: Timestamp,
    /// The order total.
    pub order_total: Option<MoneyOut>,
    /// e.g. `Amazon.co.jp`.
    pub sales_channel: Option<String>,
    /// e.g. `Std JP Kanto8`.
    pub ship_service_level: Option<String>,
    /// Ship by.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub latest_ship_date: Option<Timestamp>,
    /// Number of lines.
    pub item_count: u64,
}

impl OrderOut {
    /// The order's fields beside its number of items (the order's own `items` may be left out).
    fn with_item_count(stored: &StoredOrder, item_count: u64) -> Self {
        let order = &stored.order;
        Self {
            connection_id: stored.connection_id.as_uuid(),
            amazon_order_id: order.amazon_order_id.to_string(),
            marketplace_id: order.marketplace_id.to_string(),
            status: order.status.to_string(),
            fulfillment_channel: order.fulfillment_channel.map(|c| c.as_str().to_owned()),
            purchase_date: order.purchase_date,
            last_update_date: order.last_update_date,
            order_total: order.order_total.as_ref().map(MoneyOut::from),
            sales_channel: order.sales_channel.clone(),
            ship_service_level: order.ship_service_level.clone(),
            latest_ship_date: order.latest_ship_date,
            item_count,
        }
    }
}

impl From<&ListedOrder> for OrderOut {
    fn from(listed: &ListedOrder) -> Self {
        Self::with_item_count(&listed.stored, listed.item_count)
    }
}

/// A delivery address.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddressOut {
    /// Recipient.
    pub name: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Prefecture or state.
    pub state_or_region: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Address line 1.
    pub address_line1: Option<String>,
    /// Address line 2.
    pub address_line2: Option<String>,
    /// Address line 3.
    pub address_line3: Option<String>,
    /// ISO country code.
    pub country_code: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

impl From<&Address> for AddressOut {
    fn from(a: &Address) -> Self {
        Self {
            name: a.name.clone(),
            postal_code: a.postal_code.clone(),
            state_or_region: a.state_or_region.clone(),
            city: a.city.clone(),
            address_line1: a.address_line1.clone(),
            address_line2: a.address_line2.clone(),
            address_line3: a.address_line3.clone(),
            country_code: a.country_code.clone(),
            phone: a.phone.clone(),
        }
    }
}

/// One line of an order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemOut {
    /// Amazon's item id.
    pub order_item_id: String,
    /// ASIN.
    pub asin: String,
    /// The seller's SKU.
    pub seller_sku: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Quantity ordered.
    pub quantity_ordered: u32,
    /// Quantity shipped.
    pub quantity_shipped: u32,
    /// Item price.
    pub item_price: Option<MoneyOut>,
    /// Shipping price.
    pub shipping_price: Option<MoneyOut>,
}

impl From<&OrderItem> for ItemOut {
    fn from(item: &OrderItem) -> Self {
        Self {
            order_item_id: item.order_item_id.clone(),
            asin: item.asin.clone(),
            seller_sku: item.seller_sku.clone(),
            title: item.title.clone(),
            quantity_ordered: item.quantity_ordered,
            quantity_shipped: item.quantity_shipped,
            item_price: item.item_price.as_ref().map(MoneyOut::from),
            shipping_price: item.shipping_price.as_ref().map(MoneyOut::from),
        }
    }
}

/// An order with its items and delivery details.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDetailOut {
    /// The order.
    #[serde(flatten)]
    pub order: OrderOut,
    /// Buyer.
    pub buyer_name: Option<String>,
    /// Where to ship.
    pub shipping_address: Option<AddressOut>,
    /// e.g. `COD`, `Other`.
    pub payment_method: Option<String>,
    /// The lines.
    pub items: Vec<ItemOut>,
}

impl From<&StoredOrder> for OrderDetailOut {
    fn from(stored: &StoredOrder) -> Self {
        let order = &stored.order;
        Self {
            order: OrderOut::with_item_count(stored, order.items.len() as u64),
            buyer_name: order.buyer_name.clone(),
            shipping_address: order.shipping_address.as_ref().map(AddressOut::from),
            payment_method: order.payment_method.clone().map(String::from),
            items: order.items.iter().map(ItemOut::from).collect(),
        }
    }
}

/// A page of orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderPageOut {
    /// The orders, newest purchase first.
    pub orders: Vec<OrderOut>,
    /// This page (from 1).
    pub page: u32,
    /// Orders per page.
    pub per_page: u32,
    /// Orders matching the filters.
    pub total: u64,
}

/// Filters and paging of the order list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrdersQuery {
    /// Only this merchant's orders (operators).
    pub merchant_id: Option<Uuid>,
    /// Only this connection's orders.
    pub connection_id: Option<Uuid>,
    /// Comma-separated statuses, e.g. `Unshipped,PartiallyShipped`.
    pub status: Option<String>,
    /// Only this marketplace.
    pub marketplace_id: Option<String>,
    /// `MFN` or `AFN`.
    pub channel: Option<String>,
    /// Purchased at or after this instant (RFC 3339).
    pub purchased_after: Option<String>,
    /// Purchased before this instant (RFC 3339).
    pub purchased_before: Option<String>,
    /// Only orders still to ship (Unshipped, PartiallyShipped) that are `due_today` (ship-by date today, Japan time)
    /// or `overdue` (ship-by date passed).
    #[param(example = "overdue")]
    pub ship_by: Option<String>,
    /// `-purchase_date` (newest order first, the default), `ship_by` (earliest ship-by date first; orders without
    /// one last) or `-ship_by` (latest first).
    #[param(example = "ship_by")]
    pub sort: Option<String>,
    /// Page number, 1–10000 (default 1).
    #[param(value_type = Option<u32>)]
    pub page: Option<String>,
    /// Orders per page, 1–200 (default 50).
    #[param(value_type = Option<u32>)]
    pub per_page: Option<String>,
}
