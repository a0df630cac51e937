//! Orders 2013-09-01 responses: `ListOrders`/`ListOrdersByNextToken`, `GetOrder`,
//! `ListOrderItems`/`ListOrderItemsByNextToken` (`docs/amazon/MWS.md#orders-2013-09-01`).

use std::fmt;

use jiff::Timestamp;
use sellerlink_domain::ids::{AmazonOrderId, MarketplaceId};
use serde::{Deserialize, Deserializer};

use super::ResponseMetadata;
use super::common::{Address, Money};
use super::de::{element_parsers, optional_bool, optional_text, optional_u32, parse_timestamp};
use crate::error::DecodeError;

/// An order's status. Values this client does not know are kept in [`OrderStatus::Other`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderStatus {
    /// A pre-order not yet available (Japan).
    PendingAvailability,
    /// Placed but not yet paid/authorised; no buyer details yet.
    Pending,
    /// Paid, nothing shipped yet.
    Unshipped,
    /// Some items shipped.
    PartiallyShipped,
    /// All items shipped.
    Shipped,
    /// Cancelled.
    Canceled,
    /// Cannot be fulfilled (multi-channel orders).
    Unfulfillable,
    /// Invoice not yet confirmed (later API versions).
    InvoiceUnconfirmed,
    /// A status this client does not know, as Amazon spelled it.
    Other(String),
}

impl OrderStatus {
    /// Reads Amazon's spelling.
    pub fn from_wire(value: &str) -> Self {
        match value.trim() {
            "PendingAvailability" => Self::PendingAvailability,
            "Pending" => Self::Pending,
            "Unshipped" => Self::Unshipped,
            "PartiallyShipped" => Self::PartiallyShipped,
            "Shipped" => Self::Shipped,
            "Canceled" => Self::Canceled,
            "Unfulfillable" => Self::Unfulfillable,
            "InvoiceUnconfirmed" => Self::InvoiceUnconfirmed,
            other => Self::Other(other.to_owned()),
        }
    }

    /// Amazon's spelling, as sent in `OrderStatus.Status.N`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::PendingAvailability => "PendingAvailability",
            Self::Pending => "Pending",
            Self::Unshipped => "Unshipped",
            Self::PartiallyShipped => "PartiallyShipped",
            Self::Shipped => "Shipped",
            Self::Canceled => "Canceled",
            Self::Unfulfillable => "Unfulfillable",
            Self::InvoiceUnconfirmed => "InvoiceUnconfirmed",
            Self::Other(other) => other,
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for OrderStatus {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self::from_wire(&text))
    }
}

/// Who ships the order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FulfillmentChannel {
    /// Amazon ships it (FBA, `AFN`).
    Amazon,
    /// The seller ships it (`MFN`), which is the 3PL's case.
    Merchant,
    /// A value this client does not know.
    Other(String),
}

impl FulfillmentChannel {
    /// Reads Amazon's spelling.
    pub fn from_wire(value: &str) -> Self {
        match value.trim() {
            "AFN" => Self::Amazon,
            "MFN" => Self::Merchant,
            other => Self::Other(other.to_owned()),
        }
    }

    /// Amazon's spelling, as sent in `FulfillmentChannel.Channel.N`.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Amazon => "AFN",
            Self::Merchant => "MFN",
            Self::Other(other) => other,
        }
    }
}

impl fmt::Display for FulfillmentChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for FulfillmentChannel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self::from_wire(&text))
    }
}

/// An order item's id (`OrderItemId`, the feeds' `AmazonOrderItemCode`): decimal digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrderItemId(String);

impl OrderItemId {
    /// Parses 1–20 decimal digits (Amazon issues 14).
    pub fn parse(input: &str) -> Result<Self, String> {
        let value = input.trim();
        if (1..=20).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(value.to_owned()))
        } else {
            Err(format!(
                "order item id {value:?} is not 1–20 digits (e.g. 12345678901234)"
            ))
        }
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrderItemId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

element_parsers! {
    required amazon_order_id: "AmazonOrderId" => AmazonOrderId = AmazonOrderId::from_amazon;
    required purchase_date: "PurchaseDate" => Timestamp = parse_timestamp;
    required last_update_date: "LastUpdateDate" => Timestamp = parse_timestamp;
    optional marketplace_id: "MarketplaceId" => MarketplaceId = MarketplaceId::parse;
    optional earliest_ship_date: "EarliestShipDate" => Timestamp = parse_timestamp;
    optional latest_ship_date: "LatestShipDate" => Timestamp = parse_timestamp;
    optional earliest_delivery_date: "EarliestDeliveryDate" => Timestamp = parse_timestamp;
    optional latest_delivery_date: "LatestDeliveryDate" => Timestamp = parse_timestamp;
    optional promise_response_due_date: "PromiseResponseDueDate" => Timestamp = parse_timestamp;
    optional created_before: "CreatedBefore" => Timestamp = parse_timestamp;
    optional last_updated_before: "LastUpdatedBefore" => Timestamp = parse_timestamp;
    required order_item_id: "OrderItemId" => OrderItemId = OrderItemId::parse;
    required quantity_ordered: "QuantityOrdered" => u32 = |text: &str| text.parse::<u32>();
    optional scheduled_delivery_start_date: "ScheduledDeliveryStartDate" => Timestamp = parse_timestamp;
    optional scheduled_delivery_end_date: "ScheduledDeliveryEndDate" => Timestamp = parse_timestamp;
}

/// One order as `ListOrders` and `GetOrder` return it. Only the first four fields are always
/// present; Amazon leaves buyer details out while an order is `Pending`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Order {
    /// The order number, e.g. `503-1234567-1234567`.
    #[serde(rename = "AmazonOrderId", deserialize_with = "amazon_order_id")]
    pub amazon_order_id: AmazonOrderId,
    /// The seller's own order id.
    #[serde(rename = "SellerOrderId", default, deserialize_with = "optional_text")]
    pub seller_order_id: Option<String>,
    /// When the order was placed.
    #[serde(rename = "PurchaseDate", deserialize_with = "purchase_date")]
    pub purchase_date: Timestamp,
    /// When the order last changed.
    #[serde(rename = "LastUpdateDate", deserialize_with = "last_update_date")]
    pub last_update_date: Timestamp,
    /// The order's status.
    #[serde(rename = "OrderStatus")]
    pub order_status: OrderStatus,
    /// `AFN` or `MFN`.
    #[serde(rename = "FulfillmentChannel", default)]
    pub fulfillment_channel: Option<FulfillmentChannel>,
    /// e.g. `Amazon.co.jp`.
    #[serde(rename = "SalesChannel", default, deserialize_with = "optional_text")]
    pub sales_channel: Option<String>,
    /// The order channel of the first item.
    #[serde(rename = "OrderChannel", default, deserialize_with = "optional_text")]
    pub order_channel: Option<String>,
    /// Free-text shipping service level, e.g. `Std JP Kanto8`.
    #[serde(
        rename = "ShipServiceLevel",
        default,
        deserialize_with = "optional_text"
    )]
    pub ship_service_level: Option<String>,
    /// Where to ship.
    #[serde(rename = "ShippingAddress", default)]
    pub shipping_address: Option<Address>,
    /// The order total.
    #[serde(rename = "OrderTotal", default)]
    pub order_total: Option<Money>,
    /// Items shipped so far.
    #[serde(
        rename = "NumberOfItemsShipped",
        default,
        deserialize_with = "optional_u32"
    )]
    pub number_of_items_shipped: Option<u32>,
    /// Items not yet shipped.
    #[serde(
        rename = "NumberOfItemsUnshipped",
        default,
        deserialize_with = "optional_u32"
    )]
    pub number_of_items_unshipped: Option<u32>,
    /// Sub-payments of a cash-on-delivery order (Japan).
    #[serde(
        rename = "PaymentExecutionDetail",
        default,
        deserialize_with = "payment_execution_detail"
    )]
    pub payment_execution_detail: Vec<PaymentExecutionDetailItem>,
    /// `COD`, `CVS` or `Other`.
    #[serde(rename = "PaymentMethod", default, deserialize_with = "optional_text")]
    pub payment_method: Option<String>,
    /// Payment method details, e.g. `CreditCard`, `COD`.
    #[serde(
        rename = "PaymentMethodDetails",
        default,
        deserialize_with = "payment_method_details"
    )]
    pub payment_method_details: Vec<String>,
    /// Whether this order replaces another.
    #[serde(
        rename = "IsReplacementOrder",
        default,
        deserialize_with = "optional_bool"
    )]
    pub is_replacement_order: Option<bool>,
    /// The order this one replaces.
    #[serde(
        rename = "ReplacedOrderId",
        default,
        deserialize_with = "optional_text"
    )]
    pub replaced_order_id: Option<String>,
    /// The marketplace the order was placed in.
    #[serde(rename = "MarketplaceId", default, deserialize_with = "marketplace_id")]
    pub marketplace_id: Option<MarketplaceId>,
    /// The buyer's anonymised e-mail address.
    #[serde(rename = "BuyerEmail", default, deserialize_with = "optional_text")]
    pub buyer_email: Option<String>,
    /// The buyer's name.
    #[serde(rename = "BuyerName", default, deserialize_with = "optional_text")]
    pub buyer_name: Option<String>,
    /// `Expedited`, `FreeEconomy`, `NextDay`, `SameDay`, `SecondDay`, `Scheduled`, `Standard`.
    #[serde(
        rename = "ShipmentServiceLevelCategory",
        default,
        deserialize_with = "optional_text"
    )]
    pub shipment_service_level_category: Option<String>,
    /// `StandardOrder`, `Preorder`, `SourcingOnDemandOrder`, ….
    #[serde(rename = "OrderType", default, deserialize_with = "optional_text")]
    pub order_type: Option<String>,
    /// Start of the ship-by window.
    #[serde(
        rename = "EarliestShipDate",
        default,
        deserialize_with = "earliest_ship_date"
    )]
    pub earliest_ship_date: Option<Timestamp>,
    /// End of the ship-by window.
    #[serde(
        rename = "LatestShipDate",
        default,
        deserialize_with = "latest_ship_date"
    )]
    pub latest_ship_date: Option<Timestamp>,
    /// Start of the delivery window (seller-fulfilled orders).
    #[serde(
        rename = "EarliestDeliveryDate",
        default,
        deserialize_with = "earliest_delivery_date"
    )]
    pub earliest_delivery_date: Option<Timestamp>,
    /// End of the delivery window (seller-fulfilled orders).
    #[serde(
        rename = "LatestDeliveryDate",
        default,
        deserialize_with = "latest_delivery_date"
    )]
    pub latest_delivery_date: Option<Timestamp>,
    /// A business (B2B) order.
    #[serde(
        rename = "IsBusinessOrder",
        default,
        deserialize_with = "optional_bool"
    )]
    pub is_business_order: Option<bool>,
    /// A Prime order.
    #[serde(rename = "IsPrime", default, deserialize_with = "optional_bool")]
    pub is_prime: Option<bool>,
    /// A premium-shipping order.
    #[serde(rename = "IsPremiumOrder", default, deserialize_with = "optional_bool")]
    pub is_premium_order: Option<bool>,
    /// Global express shipping is enabled.
    #[serde(
        rename = "IsGlobalExpressEnabled",
        default,
        deserialize_with = "optional_bool"
    )]
    pub is_global_express_enabled: Option<bool>,
    /// The buyer's purchase order number (business orders).
    #[serde(
        rename = "PurchaseOrderNumber",
        default,
        deserialize_with = "optional_text"
    )]
    pub purchase_order_number: Option<String>,
    /// Reply deadline of a Sourcing-on-Demand order (Japan).
    #[serde(
        rename = "PromiseResponseDueDate",
        default,
        deserialize_with = "promise_response_due_date"
    )]
    pub promise_response_due_date: Option<Timestamp>,
    /// Whether the estimated ship date is set (Sourcing on Demand, Japan).
    #[serde(
        rename = "IsEstimatedShipDateSet",
        default,
        deserialize_with = "optional_bool"
    )]
    pub is_estimated_ship_date_set: Option<bool>,
}

/// One sub-payment of a cash-on-delivery order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PaymentExecutionDetailItem {
    /// The amount.
    #[serde(rename = "Payment")]
    pub payment: Money,
    /// `COD`, `GC` or `PointsAccount`.
    #[serde(rename = "PaymentMethod", default, deserialize_with = "optional_text")]
    pub payment_method: Option<String>,
}

fn payment_execution_detail<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<PaymentExecutionDetailItem>, D::Error> {
    #[derive(Deserialize)]
    struct List {
        #[serde(rename = "PaymentExecutionDetailItem", default)]
        items: Vec<PaymentExecutionDetailItem>,
    }
    Ok(List::deserialize(deserializer)?.items)
}

fn payment_method_details<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct List {
        #[serde(rename = "PaymentMethodDetail", default)]
        items: Vec<String>,
    }
    Ok(List::deserialize(deserializer)?
        .items
        .into_iter()
        .map(|item| item.trim().to_owned())
        .filter(|item| !item.is_empty())
        .collect())
}

/// One page of `ListOrders` or `ListOrdersByNextToken`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrdersPage {
    /// The orders of this page that read (possibly none).
    pub orders: Vec<Order>,
    /// The `<Order>` elements of this page that do not read (one odd order does not make the page unreadable).
    pub unreadable: Vec<UnreadableOrder>,
    /// Present when more pages follow; pass it to `ListOrdersByNextToken`.
    pub next_token: Option<String>,
    /// The upper bound Amazon applied when the listing was by creation time; use it as the
    /// next window's `CreatedAfter`.
    pub created_before: Option<Timestamp>,
    /// The upper bound Amazon applied when the listing was by update time; use it as the next
    /// window's `LastUpdatedAfter`.
    pub last_updated_before: Option<Timestamp>,
    /// Amazon's request id.
    pub request_id: Option<String>,
}

/// An `<Order>` element that does not read, kept as Amazon sent it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableOrder {
    /// Its `AmazonOrderId` text, when it has one.
    pub amazon_order_id: Option<String>,
    /// Its `LastUpdateDate`, when that reads.
    pub last_update_date: Option<Timestamp>,
    /// Why it does not read.
    pub reason: String,
    /// The element, `<Order>` to `</Order>`.
    pub xml: String,
}

/// The text of the first `<tag>` element of `xml`.
fn element_text<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = start + xml[start..].find(&format!("</{tag}>"))?;
    Some(xml[start..end].trim())
}

/// The `<Order>` elements inside a document's `<Orders>`, as text. MWS writes them without attributes or
/// prefixes, and an element's text cannot contain `<`.
fn order_elements(xml: &str) -> Vec<&str> {
    let Some(start) = xml.find("<Orders>") else {
        return Vec::new();
    };
    let end = xml[start..]
        .find("</Orders>")
        .map_or(xml.len(), |e| start + e);
    let mut rest = &xml[start + "<Orders>".len()..end];
    let mut elements = Vec::new();
    while let Some(open) = rest.find("<Order>") {
        let Some(close) = rest[open..].find("</Order>") else {
            break;
        };
        let stop = open + close + "</Order>".len();
        elements.push(&rest[open..stop]);
        rest = &rest[stop..];
    }
    elements
}

/// Reads each `<Order>` of a document on its own: the ones that read, and the ones that do not.
fn read_orders(xml: &str) -> (Vec<Order>, Vec<UnreadableOrder>) {
    let mut orders = Vec::new();
    let mut unreadable = Vec::new();
    for element in order_elements(xml) {
        match super::decode::<Order>(element) {
            Ok(order) => orders.push(order),
            Err(error) => unreadable.push(UnreadableOrder {
                amazon_order_id: element_text(element, "AmazonOrderId").map(str::to_owned),
                last_update_date: element_text(element, "LastUpdateDate")
                    .and_then(|text| text.parse().ok()),
                reason: error.to_string(),
                xml: element.to_owned(),
            }),
        }
    }
    (orders, unreadable)
}

impl OrdersPage {
    /// Parses a `ListOrdersResponse` or `ListOrdersByNextTokenResponse` document. Each `<Order>` is read on its
    /// own: one that does not read goes to [`OrdersPage::unreadable`].
    pub fn from_xml(xml: &str) -> Result<Self, DecodeError> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(rename = "ListOrdersResult", alias = "ListOrdersByNextTokenResult")]
            result: ResultWire,
            #[serde(rename = "ResponseMetadata", default)]
            metadata: Option<ResponseMetadata>,
        }
        #[derive(Deserialize)]
        struct ResultWire {
            #[serde(rename = "NextToken", default, deserialize_with = "optional_text")]
            next_token: Option<String>,
            #[serde(rename = "CreatedBefore", default, deserialize_with = "created_before")]
            created_before: Option<Timestamp>,
            #[serde(
                rename = "LastUpdatedBefore",
                default,
                deserialize_with = "last_updated_before"
            )]
            last_updated_before: Option<Timestamp>,
            #[serde(rename = "Orders", default)]
            _orders: serde::de::IgnoredAny,
        }
        let envelope: Envelope = super::decode(xml)?;
        let (orders, unreadable) = read_orders(xml);
        Ok(Self {
            orders,
            unreadable,
            next_token: envelope.result.next_token,
            created_before: envelope.result.created_before,
            last_updated_before: envelope.result.last_updated_before,
            request_id: ResponseMetadata::request_id(envelope.metadata),
        })
    }
}

#[derive(Default, Deserialize)]
struct OrderList {
    #[serde(rename = "Order", default)]
    orders: Vec<Order>,
}

/// The orders `GetOrder` returned (ids Amazon does not know are simply absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetOrderResult {
    /// The orders found.
    pub orders: Vec<Order>,
    /// Amazon's request id.
    pub request_id: Option<String>,
}

impl GetOrderResult {
    /// Parses a `GetOrderResponse` document.
    pub fn from_xml(xml: &str) -> Result<Self, DecodeError> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(rename = "GetOrderResult")]
            result: ResultWire,
            #[serde(rename = "ResponseMetadata", default)]
            metadata: Option<ResponseMetadata>,
        }
        #[derive(Deserialize)]
        struct ResultWire {
            #[serde(rename = "Orders", default)]
            orders: OrderList,
        }
        let envelope: Envelope = super::decode(xml)?;
        Ok(Self {
            orders: envelope.result.orders.orders,
            request_id: ResponseMetadata::request_id(envelope.metadata),
        })
    }
}

/// Points granted with an item (Japan).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PointsGranted {
    /// Number of points.
    #[serde(rename = "PointsNumber", default, deserialize_with = "optional_u32")]
    pub points_number: Option<u32>,
    /// Their monetary value.
    #[serde(rename = "PointsMonetaryValue", default)]
    pub points_monetary_value: Option<Money>,
}

/// One line of an order, as `ListOrderItems` returns it. Prices, taxes and promotions are
/// absent while the order is `Pending`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OrderItem {
    /// The product's ASIN.
    #[serde(rename = "ASIN")]
    pub asin: String,
    /// The seller's SKU.
    #[serde(rename = "SellerSKU", default, deserialize_with = "optional_text")]
    pub seller_sku: Option<String>,
    /// The item's id, used as `AmazonOrderItemCode` in shipment feeds.
    #[serde(rename = "OrderItemId", deserialize_with = "order_item_id")]
    pub order_item_id: OrderItemId,
    /// The product title.
    #[serde(rename = "Title", default, deserialize_with = "optional_text")]
    pub title: Option<String>,
    /// How many were ordered.
    #[serde(rename = "QuantityOrdered", deserialize_with = "quantity_ordered")]
    pub quantity_ordered: u32,
    /// How many have shipped.
    #[serde(rename = "QuantityShipped", default, deserialize_with = "optional_u32")]
    pub quantity_shipped: Option<u32>,
    /// Points granted (Japan).
    #[serde(rename = "PointsGranted", default)]
    pub points_granted: Option<PointsGranted>,
    /// Item price (quantity × unit price).
    #[serde(rename = "ItemPrice", default)]
    pub item_price: Option<Money>,
    /// Shipping price.
    #[serde(rename = "ShippingPrice", default)]
    pub shipping_price: Option<Money>,
    /// Gift-wrap price.
    #[serde(rename = "GiftWrapPrice", default)]
    pub gift_wrap_price: Option<Money>,
    /// Tax on the item price.
    #[serde(rename = "ItemTax", default)]
    pub item_tax: Option<Money>,
    /// Tax on shipping.
    #[serde(rename = "ShippingTax", default)]
    pub shipping_tax: Option<Money>,
    /// Tax on gift wrap.
    #[serde(rename = "GiftWrapTax", default)]
    pub gift_wrap_tax: Option<Money>,
    /// Shipping discount.
    #[serde(rename = "ShippingDiscount", default)]
    pub shipping_discount: Option<Money>,
    /// Promotion discount.
    #[serde(rename = "PromotionDiscount", default)]
    pub promotion_discount: Option<Money>,
    /// Promotion ids applied.
    #[serde(rename = "PromotionIds", default, deserialize_with = "promotion_ids")]
    pub promotion_ids: Vec<String>,
    /// Cash-on-delivery fee (Japan).
    #[serde(rename = "CODFee", default)]
    pub cod_fee: Option<Money>,
    /// Discount on the cash-on-delivery fee (Japan).
    #[serde(rename = "CODFeeDiscount", default)]
    pub cod_fee_discount: Option<Money>,
    /// Whether the item is a gift.
    #[serde(rename = "IsGift", default, deserialize_with = "optional_bool")]
    pub is_gift: Option<bool>,
    /// The gift message.
    #[serde(
        rename = "GiftMessageText",
        default,
        deserialize_with = "optional_text"
    )]
    pub gift_message_text: Option<String>,
    /// The gift-wrap level.
    #[serde(rename = "GiftWrapLevel", default, deserialize_with = "optional_text")]
    pub gift_wrap_level: Option<String>,
    /// The seller's note on the condition.
    #[serde(rename = "ConditionNote", default, deserialize_with = "optional_text")]
    pub condition_note: Option<String>,
    /// e.g. `New`, `Used`.
    #[serde(rename = "ConditionId", default, deserialize_with = "optional_text")]
    pub condition_id: Option<String>,
    /// e.g. `Mint`.
    #[serde(
        rename = "ConditionSubtypeId",
        default,
        deserialize_with = "optional_text"
    )]
    pub condition_subtype_id: Option<String>,
    /// Start of a scheduled delivery window.
    #[serde(
        rename = "ScheduledDeliveryStartDate",
        default,
        deserialize_with = "scheduled_delivery_start_date"
    )]
    pub scheduled_delivery_start_date: Option<Timestamp>,
    /// End of a scheduled delivery window.
    #[serde(
        rename = "ScheduledDeliveryEndDate",
        default,
        deserialize_with = "scheduled_delivery_end_date"
    )]
    pub scheduled_delivery_end_date: Option<Timestamp>,
    /// `BusinessPrice` when a business price applied.
    #[serde(
        rename = "PriceDesignation",
        default,
        deserialize_with = "optional_text"
    )]
    pub price_designation: Option<String>,
    /// Whether a serial number must be recorded when shipping.
    #[serde(
        rename = "SerialNumberRequired",
        default,
        deserialize_with = "optional_bool"
    )]
    pub serial_number_required: Option<bool>,
}

fn promotion_ids<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct List {
        #[serde(rename = "PromotionId", default)]
        items: Vec<String>,
    }
    Ok(List::deserialize(deserializer)?.items)
}

/// One page of `ListOrderItems` or `ListOrderItemsByNextToken`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderItemsPage {
    /// The order the items belong to.
    pub amazon_order_id: AmazonOrderId,
    /// The items of this page.
    pub items: Vec<OrderItem>,
    /// Present when more pages follow.
    pub next_token: Option<String>,
    /// Amazon's request id.
    pub request_id: Option<String>,
}

impl OrderItemsPage {
    /// Parses a `ListOrderItemsResponse` or `ListOrderItemsByNextTokenResponse` document.
    pub fn from_xml(xml: &str) -> Result<Self, DecodeError> {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(
                rename = "ListOrderItemsResult",
                alias = "ListOrderItemsByNextTokenResult"
            )]
            result: ResultWire,
            #[serde(rename = "ResponseMetadata", default)]
            metadata: Option<ResponseMetadata>,
        }
        #[derive(Deserialize)]
        struct ResultWire {
            #[serde(rename = "NextToken", default, deserialize_with = "optional_text")]
            next_token: Option<String>,
            #[serde(rename = "AmazonOrderId", deserialize_with = "amazon_order_id")]
            amazon_order_id: AmazonOrderId,
            #[serde(rename = "OrderItems", default)]
            items: ItemList,
        }
        #[derive(Default, Deserialize)]
        struct ItemList {
            #[serde(rename = "OrderItem", default)]
            items: Vec<OrderItem>,
        }
        let envelope: Envelope = super::decode(xml)?;
        Ok(Self {
            amazon_order_id: envelope.result.amazon_order_id,
            items: envelope.result.items.items,
            next_token: envelope.result.next_token,
            request_id: ResponseMetadata::request_id(envelope.metadata),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::tests::fixture;

    #[test]
    fn an_order_that_does_not_read_is_set_aside_not_the_page() {
        let xml = fixture("list_orders.xml");
        let start = xml.find("<PurchaseDate>").unwrap();
        let end = start + xml[start..].find("</PurchaseDate>").unwrap();
        let odd = format!("{}<PurchaseDate>not-a-date{}", &xml[..start], &xml[end..]);
        let page = OrdersPage::from_xml(&odd).expect("the page still reads");
        assert_eq!(page.orders.len(), 1);
        assert_eq!(page.unreadable.len(), 1, "{:?}", page.unreadable);
        let unreadable = &page.unreadable[0];
        assert!(unreadable.amazon_order_id.is_some());
        assert!(unreadable.last_update_date.is_some());
        assert!(unreadable.xml.starts_with("<Order>") && unreadable.xml.contains("not-a-date"));
        assert!(!unreadable.reason.is_empty());
    }

    #[test]
    fn list_orders_page_with_a_jp_cod_order_and_a_pending_one() {
        let page = OrdersPage::from_xml(&fixture("list_orders.xml")).expect("parses");
        assert_eq!(page.orders.len(), 2);
        assert!(page.next_token.is_some());
        assert_eq!(
            page.created_before,
            Some("2024-03-01T02:58:00Z".parse().expect("valid"))
        );
        assert_eq!(
            page.request_id.as_deref(),
            Some("1c4e5f7a-2b3d-4e6f-8a9b-0c1d2e3f4a5b")
        );

        let shipped = &page.orders[0];
        assert_eq!(shipped.amazon_order_id.as_str(), "249-3018476-5521904");
        assert_eq!(shipped.order_status, OrderStatus::Unshipped);
        assert_eq!(
            shipped.fulfillment_channel,
            Some(FulfillmentChannel::Merchant)
        );
        assert_eq!(
            shipped.marketplace_id.as_ref().map(|m| m.as_str()),
            Some("A1VC38T7YXB528")
        );
        let total = shipped.order_total.as_ref().expect("total");
        assert_eq!(total.currency_code.as_str(), "JPY");
        assert_eq!(total.minor_units(), Some(4280));
        let address = shipped.shipping_address.as_ref().expect("address");
        assert_eq!(address.state_or_region.as_deref(), Some("東京都"));
        assert_eq!(address.postal_code.as_deref(), Some("107-0053"));
        assert_eq!(shipped.payment_method.as_deref(), Some("COD"));
        assert_eq!(shipped.payment_execution_detail.len(), 2);
        assert_eq!(shipped.payment_method_details, vec!["COD".to_owned()]);
        assert_eq!(shipped.is_prime, Some(false));
        assert_eq!(shipped.is_business_order, Some(false));
        assert_eq!(shipped.number_of_items_unshipped, Some(2));
        assert_eq!(
            shipped.latest_ship_date,
            Some("2024-02-28T14:59:59Z".parse().expect("valid"))
        );

        let pending = &page.orders[1];
        assert_eq!(pending.order_status, OrderStatus::Pending);
        assert!(pending.buyer_email.is_none());
        assert!(pending.shipping_address.is_none());
        assert!(pending.order_total.is_none());
    }

    #[test]
    fn by_next_token_page_with_no_orders_and_the_token_gone() {
        let page =
            OrdersPage::from_xml(&fixture("list_orders_by_next_token_empty.xml")).expect("parses");
        assert!(page.orders.is_empty());
        assert!(page.next_token.is_none());
        assert!(page.created_before.is_none());
        assert_eq!(
            page.last_updated_before,
            Some("2024-03-01T02:58:00.125Z".parse().expect("valid"))
        );
        assert_eq!(
            page.request_id.as_deref(),
            Some("9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d")
        );
    }

    #[test]
    fn unknown_statuses_and_channels_are_kept() {
        let page = OrdersPage::from_xml(
            &fixture("get_order_unknown_elements.xml")
                .replace("GetOrderResult", "ListOrdersResult"),
        )
        .expect("parses");
        assert_eq!(
            page.orders[0].order_status,
            OrderStatus::Other("Teleported".to_owned())
        );
        assert_eq!(
            page.orders[0].fulfillment_channel,
            Some(FulfillmentChannel::Other("Drone".to_owned()))
        );
    }

    #[test]
    fn get_order_tolerates_unknown_elements_and_order() {
        let result =
            GetOrderResult::from_xml(&fixture("get_order_unknown_elements.xml")).expect("parses");
        assert_eq!(result.orders.len(), 1);
        let order = &result.orders[0];
        assert_eq!(order.amazon_order_id.as_str(), "503-7261549-0038152");
        assert_eq!(
            order.purchase_date,
            "2024-02-27T01:02:03Z".parse().expect("valid")
        );
        assert_eq!(order.buyer_name.as_deref(), Some("山田 花子"));
    }

    #[test]
    fn order_items_page() {
        let page = OrderItemsPage::from_xml(&fixture("list_order_items.xml")).expect("parses");
        assert_eq!(page.amazon_order_id.as_str(), "249-3018476-5521904");
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.next_token.as_deref(), Some("c2VsbGVybGluay1pdGVtcy0y"));
        let first = &page.items[0];
        assert_eq!(first.order_item_id.as_str(), "40817263510294");
        assert_eq!(first.seller_sku.as_deref(), Some("SL-TEA-0100"));
        assert_eq!(first.quantity_ordered, 2);
        assert_eq!(first.quantity_shipped, Some(0));
        assert_eq!(
            first.item_price.as_ref().and_then(Money::minor_units),
            Some(3600)
        );
        assert_eq!(
            first.cod_fee.as_ref().and_then(Money::minor_units),
            Some(330)
        );
        assert_eq!(first.promotion_ids, vec!["JP-SPRING-10".to_owned()]);
        assert_eq!(first.is_gift, Some(false));
        assert_eq!(first.condition_id.as_deref(), Some("New"));
        let second = &page.items[1];
        assert!(second.item_price.is_none());
        assert!(second.promotion_ids.is_empty());
    }

    #[test]
    fn an_unusable_order_id_names_the_element() {
        let xml = fixture("list_orders.xml").replace("249-3018476-5521904", "249-3018476 5521904");
        let page = OrdersPage::from_xml(&xml).expect("the other order still reads");
        let text = &page.unreadable[0].reason;
        assert!(text.contains("<AmazonOrderId>"), "{text}");
        assert!(text.contains("' '"), "{text}");
        assert_eq!(page.orders.len() + page.unreadable.len(), 2);
    }

    #[test]
    fn order_ids_of_other_shapes_are_read_as_amazon_sent_them() {
        for odd in [
            "249-30184765521904",
            "S01-3018476-5521904",
            "TEST&lt;ORDER&gt;-1",
        ] {
            let xml = fixture("list_orders.xml").replace("249-3018476-5521904", odd);
            let page = OrdersPage::from_xml(&xml).expect("the page reads");
            assert!(page.unreadable.is_empty(), "{odd}: {:?}", page.unreadable);
            let expected = odd.replace("&lt;", "<").replace("&gt;", ">");
            assert!(
                page.orders
                    .iter()
                    .any(|o| o.amazon_order_id.as_str() == expected),
                "{odd}"
            );
        }
    }

    #[test]
    fn a_malformed_timestamp_names_the_element() {
        let xml = fixture("list_orders.xml").replace("2024-02-26T03:15:42Z", "yesterday");
        let page = OrdersPage::from_xml(&xml).expect("the other order still reads");
        let reason = &page.unreadable[0].reason;
        assert!(reason.contains("<PurchaseDate>"), "{reason}");
    }

    #[test]
    fn a_malformed_marketplace_names_the_element() {
        let xml = fixture("list_orders.xml").replace("A1VC38T7YXB528", "a1-vc38");
        let page = OrdersPage::from_xml(&xml).expect("the page itself reads");
        let reason = &page.unreadable[0].reason;
        assert!(reason.contains("<MarketplaceId>"), "{reason}");
    }

    #[test]
    fn truncated_xml_is_a_decode_error() {
        let xml = fixture("list_orders.xml");
        let cut = &xml[..xml.len() / 2];
        assert!(OrdersPage::from_xml(cut).is_err());
        assert!(OrdersPage::from_xml("").is_err());
        assert!(OrdersPage::from_xml("<html>503</html>").is_err());
    }
}
