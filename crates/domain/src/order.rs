//! Orders as sellerlink keeps them, whichever Amazon API they came from.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{AmazonOrderId, ConnectionId, MarketplaceId};

mod money;
mod shipping;

pub use money::{Money, MoneyError, currency_decimals};
pub use shipping::ShippingSpeed;

/// Amazon's order status (MWS names; SP-API 2026-01-01 statuses map onto these).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum OrderStatus {
    PendingAvailability,
    Pending,
    Unshipped,
    PartiallyShipped,
    Shipped,
    Canceled,
    Unfulfillable,
    InvoiceUnconfirmed,
    /// A status this version does not know yet; kept verbatim.
    Other(String),
}

impl OrderStatus {
    /// The MWS spelling, e.g. `PartiallyShipped`.
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
            Self::Other(text) => text,
        }
    }

    /// Parses the MWS spelling or the SP-API 2026-01-01 one (`PARTIALLY_SHIPPED`, `CANCELLED`…).
    pub fn parse(text: &str) -> Self {
        let key: String = text
            .chars()
            .filter(|c| *c != '_')
            .collect::<String>()
            .to_ascii_lowercase();
        match key.as_str() {
            "pendingavailability" => Self::PendingAvailability,
            "pending" => Self::Pending,
            "unshipped" => Self::Unshipped,
            "partiallyshipped" => Self::PartiallyShipped,
            "shipped" => Self::Shipped,
            "canceled" | "cancelled" => Self::Canceled,
            "unfulfillable" => Self::Unfulfillable,
            "invoiceunconfirmed" => Self::InvoiceUnconfirmed,
            _ => Self::Other(text.to_owned()),
        }
    }

    /// True while the 3PL still has something to ship.
    pub fn awaits_shipment(&self) -> bool {
        matches!(self, Self::Unshipped | Self::PartiallyShipped)
    }
}

impl From<String> for OrderStatus {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<OrderStatus> for String {
    fn from(value: OrderStatus) -> Self {
        value.as_str().to_owned()
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who ships the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum FulfillmentChannel {
    /// Merchant-fulfilled: the 3PL ships it.
    #[serde(rename = "MFN")]
    Mfn,
    /// Fulfilled by Amazon.
    #[serde(rename = "AFN")]
    Afn,
}

impl FulfillmentChannel {
    /// `MFN` or `AFN`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Mfn => "MFN",
            Self::Afn => "AFN",
        }
    }

    /// Parses `MFN`/`AFN` or SP-API's `MERCHANT`/`AMAZON`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_uppercase().as_str() {
            "MFN" | "MERCHANT" => Some(Self::Mfn),
            "AFN" | "AMAZON" => Some(Self::Afn),
            _ => None,
        }
    }
}

/// How the buyer pays, one value whichever API reported it. MWS says `COD`, `CVS` or `Other` and names the
/// method in `PaymentMethodDetails` (`CreditCard`, `GiftCertificate`, `PointsAccount`, `Invoice`); SP-API
/// 2026-01-01 says `CashOnDelivery`, `ConvenienceStore`, `CreditCard`, `GiftCard`, `Points`, `Invoice`, …
/// Stored as [`PaymentMethod::as_str`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum PaymentMethod {
    /// Cash on delivery (代金引換): the carrier collects the money.
    CashOnDelivery,
    /// Paid at a convenience store (コンビニ決済).
    ConvenienceStore,
    /// A credit card (クレジットカード).
    CreditCard,
    /// An Amazon gift card (Amazonギフトカード; MWS `GiftCertificate`).
    GiftCard,
    /// Amazon points (Amazonポイント; MWS `PointsAccount`).
    Points,
    /// Paid by invoice (請求書払い, Amazon Business).
    Invoice,
    /// Anything else; Amazon's word kept verbatim (MWS `Other` without a detail stays `Other`).
    Other(String),
}

impl PaymentMethod {
    /// The stored value: `COD`, `CVS`, `CreditCard`, `GiftCertificate`, `PointsAccount`, `Invoice`, or the
    /// other method's word as Amazon sent it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::CashOnDelivery => "COD",
            Self::ConvenienceStore => "CVS",
            Self::CreditCard => "CreditCard",
            Self::GiftCard => "GiftCertificate",
            Self::Points => "PointsAccount",
            Self::Invoice => "Invoice",
            Self::Other(text) => text,
        }
    }

    /// Parses either API's value (case, spaces and `_` ignored): `COD` / `CashOnDelivery`, `CVS` /
    /// `ConvenienceStore`, `CreditCard`, `GiftCertificate` / `GiftCard`, `PointsAccount` / `Points`, `Invoice`;
    /// anything else is [`PaymentMethod::Other`].
    pub fn parse(text: &str) -> Self {
        let key: String = text
            .trim()
            .chars()
            .filter(|c| *c != '_' && *c != ' ')
            .collect::<String>()
            .to_ascii_lowercase();
        match key.as_str() {
            "cod" | "cashondelivery" => Self::CashOnDelivery,
            "cvs" | "conveniencestore" => Self::ConvenienceStore,
            "creditcard" => Self::CreditCard,
            "giftcertificate" | "giftcard" => Self::GiftCard,
            "pointsaccount" | "points" => Self::Points,
            "invoice" => Self::Invoice,
            _ => Self::Other(text.trim().to_owned()),
        }
    }

    /// The method of an MWS order: its `PaymentMethod`, or, when that says only `Other` (or nothing), the first
    /// of its `PaymentMethodDetails` that names a known method (MWS writes a card payment as `Other` +
    /// `CreditCard`, where SP-API writes `CreditCard`).
    pub fn from_mws<'a>(
        method: Option<&str>,
        details: impl IntoIterator<Item = &'a str>,
    ) -> Option<Self> {
        let method = method.map(Self::parse);
        match method {
            Some(Self::Other(_)) | None => details
                .into_iter()
                .map(Self::parse)
                .find(|detail| !matches!(detail, Self::Other(_)))
                .or(method),
            known => known,
        }
    }
}

impl From<String> for PaymentMethod {
    fn from(value: String) -> Self {
        Self::parse(&value)
    }
}

impl From<&str> for PaymentMethod {
    fn from(value: &str) -> Self {
        Self::parse(value)
    }
}

impl From<PaymentMethod> for String {
    fn from(value: PaymentMethod) -> Self {
        value.as_str().to_owned()
    }
}

/// A delivery address (PII: kept only as long as the order needs shipping).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Address {
    pub name: Option<String>,
    pub postal_code: Option<String>,
    pub state_or_region: Option<String>,
    pub city: Option<String>,
    pub address_line1: Option<String>,
    pub address_line2: Option<String>,
    pub address_line3: Option<String>,
    pub country_code: Option<String>,
    pub phone: Option<String>,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderItem {
    /// Amazon's 14-digit item id (the `AmazonOrderItemCode` of shipment feeds).
    pub order_item_id: String,
    pub asin: String,
    pub seller_sku: Option<String>,
    pub title: Option<String>,
    pub quantity_ordered: u32,
    pub quantity_shipped: u32,
    pub item_price: Option<Money>,
    pub shipping_price: Option<Money>,
}

/// An order with its items, as imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub amazon_order_id: AmazonOrderId,
    pub marketplace_id: MarketplaceId,
    pub status: OrderStatus,
    pub fulfillment_channel: Option<FulfillmentChannel>,
    pub purchase_date: Timestamp,
    pub last_update_date: Timestamp,
    pub order_total: Option<Money>,
    pub sales_channel: Option<String>,
    pub ship_service_level: Option<String>,
    pub buyer_name: Option<String>,
    pub shipping_address: Option<Address>,
    pub payment_method: Option<PaymentMethod>,
    pub latest_ship_date: Option<Timestamp>,
    pub items: Vec<OrderItem>,
}

/// An order as stored for one connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredOrder {
    pub connection_id: ConnectionId,
    pub order: Order,
    /// When sellerlink first stored it.
    pub first_seen_at: Timestamp,
    /// When sellerlink last changed it.
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_from_both_apis() {
        assert_eq!(
            OrderStatus::parse("PartiallyShipped"),
            OrderStatus::PartiallyShipped
        );
        assert_eq!(
            OrderStatus::parse("PARTIALLY_SHIPPED"),
            OrderStatus::PartiallyShipped
        );
        assert_eq!(OrderStatus::parse("CANCELLED"), OrderStatus::Canceled);
        assert_eq!(
            OrderStatus::parse("Weird"),
            OrderStatus::Other("Weird".into())
        );
        assert_eq!(
            serde_json::to_string(&OrderStatus::Shipped).unwrap(),
            "\"Shipped\""
        );
        assert_eq!(
            FulfillmentChannel::parse("merchant"),
            Some(FulfillmentChannel::Mfn)
        );
    }

    #[test]
    fn payment_methods_from_both_apis_are_one_value() {
        for (mws, spapi, method) in [
            ("COD", "CashOnDelivery", PaymentMethod::CashOnDelivery),
            ("CVS", "ConvenienceStore", PaymentMethod::ConvenienceStore),
        ] {
            assert_eq!(PaymentMethod::parse(mws), method);
            assert_eq!(PaymentMethod::parse(spapi), method);
            assert_eq!(PaymentMethod::parse(&spapi.to_uppercase()), method);
        }
        assert_eq!(
            PaymentMethod::parse("CASH_ON_DELIVERY"),
            PaymentMethod::CashOnDelivery
        );
        assert_eq!(PaymentMethod::CashOnDelivery.as_str(), "COD");
        assert_eq!(
            PaymentMethod::parse("CreditCard"),
            PaymentMethod::CreditCard
        );
        assert_eq!(PaymentMethod::parse("GIFT_CARD"), PaymentMethod::GiftCard);
        assert_eq!(
            PaymentMethod::parse("PointsAccount").as_str(),
            "PointsAccount"
        );
        assert_eq!(
            PaymentMethod::parse("Bitcoin"),
            PaymentMethod::Other("Bitcoin".into())
        );
        assert_eq!(PaymentMethod::parse("Other").as_str(), "Other");
        assert_eq!(
            serde_json::to_string(&PaymentMethod::ConvenienceStore).unwrap(),
            "\"CVS\""
        );
    }

    #[test]
    fn an_mws_card_payment_is_the_sp_api_one() {
        assert_eq!(
            PaymentMethod::from_mws(Some("Other"), ["CreditCard"]),
            Some(PaymentMethod::parse("CreditCard"))
        );
        assert_eq!(
            PaymentMethod::from_mws(Some("COD"), ["COD"]),
            Some(PaymentMethod::CashOnDelivery)
        );
        assert_eq!(
            PaymentMethod::from_mws(Some("Other"), ["Standard"]),
            Some(PaymentMethod::Other("Other".into()))
        );
        assert_eq!(
            PaymentMethod::from_mws(None, ["GiftCertificate"]),
            Some(PaymentMethod::GiftCard)
        );
        assert_eq!(PaymentMethod::from_mws(None, []), None);
    }
}
