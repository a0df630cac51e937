//! Orders API v2026-01-01 bodies (`searchOrders`, `getOrder`): camelCase, unwrapped, money as
//! `{amount (decimal string), currencyCode}`. Only the fields sellerlink uses are modelled; others
//! are ignored. Which optional parts are present depends on `includedData`.

use std::fmt;

use jiff::Timestamp;
use sellerlink_domain::ids::AmazonOrderId;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `getOrder` response body: `{"order": {...}}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct GetOrderResponse {
    /// The order, items included.
    pub order: Order,
}

/// An order.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// The Amazon order ID, as Amazon sent it: usually 3-7-7 digits, but any string the model allows
    /// ([`AmazonOrderId::from_amazon`]).
    pub order_id: AmazonOrderId,
    /// When the order was placed.
    pub created_time: Timestamp,
    /// When the order last changed.
    pub last_updated_time: Timestamp,
    /// Where the order was placed.
    pub sales_channel: SalesChannel,
    /// Programs such as `PRIME`.
    #[serde(default)]
    pub programs: Vec<String>,
    /// Buyer details (`includedData=BUYER`).
    #[serde(default)]
    pub buyer: Option<Buyer>,
    /// Recipient and delivery address (`includedData=RECIPIENT`).
    #[serde(default)]
    pub recipient: Option<Recipient>,
    /// Money the seller receives (`includedData=PROCEEDS`).
    #[serde(default)]
    pub proceeds: Option<OrderProceeds>,
    /// Payment executions (`includedData=PAYMENT`).
    #[serde(default)]
    pub payment: Option<OrderPayment>,
    /// Status and shipping promises (`includedData=FULFILLMENT`).
    #[serde(default)]
    pub fulfillment: Option<OrderFulfillment>,
    /// The order's lines.
    #[serde(default)]
    pub order_items: Vec<OrderItem>,
    /// Shipped packages (`includedData=PACKAGES`).
    #[serde(default)]
    pub packages: Vec<OrderPackage>,
}

/// Where the order was placed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SalesChannel {
    /// `AMAZON` or `NON_AMAZON`.
    pub channel_name: String,
    /// E.g. `A1VC38T7YXB528`.
    #[serde(default)]
    pub marketplace_id: Option<String>,
    /// E.g. `Amazon.co.jp`.
    #[serde(default)]
    pub marketplace_name: Option<String>,
}

/// The buyer (PII, role-governed).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Buyer {
    /// The buyer's name.
    #[serde(default)]
    pub buyer_name: Option<String>,
    /// Amazon's anonymized relay address.
    #[serde(default)]
    pub buyer_email: Option<String>,
    /// Company name (business orders).
    #[serde(default)]
    pub buyer_company_name: Option<String>,
    /// Purchase order number (business orders).
    #[serde(default)]
    pub buyer_purchase_order_number: Option<String>,
}

/// The recipient.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    /// Where to deliver.
    #[serde(default)]
    pub delivery_address: Option<CustomerAddress>,
}

/// A delivery address. For Japan `stateOrRegion` holds the prefecture.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CustomerAddress {
    /// Recipient name.
    pub name: Option<String>,
    /// Company name.
    pub company_name: Option<String>,
    /// First address line.
    pub address_line1: Option<String>,
    /// Second address line.
    pub address_line2: Option<String>,
    /// Third address line.
    pub address_line3: Option<String>,
    /// City.
    pub city: Option<String>,
    /// District or county.
    pub district_or_county: Option<String>,
    /// State, region or prefecture (都道府県).
    pub state_or_region: Option<String>,
    /// Municipality.
    pub municipality: Option<String>,
    /// Postal code, e.g. `150-0002`.
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country_code: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// `RESIDENTIAL` or `COMMERCIAL`.
    pub address_type: Option<String>,
}

/// An amount of money. `amount` is kept exactly as Amazon wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// Decimal text, e.g. `1507` or `29.99`.
    #[serde(deserialize_with = "decimal_text")]
    pub amount: String,
    /// ISO 4217, e.g. `JPY`.
    pub currency_code: String,
}

/// Accepts the documented decimal string, and a bare JSON number as a lenient fallback.
fn decimal_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Text {
        String(String),
        Number(serde_json::Number),
    }
    Ok(match Text::deserialize(deserializer)? {
        Text::String(text) => text,
        Text::Number(number) => number.to_string(),
    })
}

/// What the seller receives for the order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderProceeds {
    /// The total.
    #[serde(default)]
    pub grand_total: Option<Money>,
    /// By category: `ITEM`, `SHIPPING`, `TAX`, `DISCOUNT`, …
    #[serde(default)]
    pub breakdowns: Vec<ProceedsBreakdown>,
}

/// One category of proceeds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProceedsBreakdown {
    /// `ITEM`, `SHIPPING`, `GIFT_WRAP`, `COD_FEE`, `TAX`, `DISCOUNT`, `OTHER`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The amount.
    pub subtotal: Money,
}

/// Payment executions.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderPayment {
    /// Each payment, e.g. COD.
    #[serde(default)]
    pub payment_executions: Vec<PaymentExecution>,
}

/// One payment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentExecution {
    /// E.g. `COD`, `CreditCard`.
    #[serde(default)]
    pub payment_method: Option<String>,
    /// The amount.
    #[serde(default)]
    pub payment_amount: Option<Money>,
}

/// Status and shipping promises.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderFulfillment {
    /// Where the order stands.
    pub fulfillment_status: FulfillmentStatus,
    /// Who ships it.
    #[serde(default)]
    pub fulfilled_by: Option<FulfilledBy>,
    /// E.g. `STANDARD`, `NEXT_DAY`.
    #[serde(default)]
    pub fulfillment_service_level: Option<String>,
    /// When it must ship.
    #[serde(default)]
    pub ship_by_window: Option<DateTimeRange>,
    /// When it should arrive.
    #[serde(default)]
    pub deliver_by_window: Option<DateTimeRange>,
}

/// A time window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DateTimeRange {
    /// Start.
    #[serde(default)]
    pub earliest_date_time: Option<Timestamp>,
    /// End.
    #[serde(default)]
    pub latest_date_time: Option<Timestamp>,
}

/// An order line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderItem {
    /// Amazon's item ID (the one `confirmShipment` takes).
    pub order_item_id: String,
    /// Units ordered.
    pub quantity_ordered: u32,
    /// The product.
    pub product: ItemProduct,
    /// What the seller receives for this line (`includedData=PROCEEDS`).
    #[serde(default)]
    pub proceeds: Option<ItemProceeds>,
    /// Shipped and unshipped units (`includedData=FULFILLMENT`).
    #[serde(default)]
    pub fulfillment: Option<ItemFulfillment>,
}

/// The product of a line.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ItemProduct {
    /// The ASIN.
    pub asin: Option<String>,
    /// The title.
    pub title: Option<String>,
    /// The seller's SKU.
    pub seller_sku: Option<String>,
    /// The unit price.
    pub price: Option<ItemPrice>,
}

/// Pricing of a line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemPrice {
    /// Price of one unit.
    #[serde(default)]
    pub unit_price: Option<Money>,
}

/// Proceeds of a line.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemProceeds {
    /// The line's total.
    #[serde(default)]
    pub proceeds_total: Option<Money>,
    /// By category (`ITEM` = unit price × quantity, `SHIPPING`, `TAX`, …).
    #[serde(default)]
    pub breakdowns: Vec<ProceedsBreakdown>,
}

/// Shipping progress of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemFulfillment {
    /// Units shipped.
    #[serde(default)]
    pub quantity_fulfilled: Option<u32>,
    /// Units still to ship.
    #[serde(default)]
    pub quantity_unfulfilled: Option<u32>,
}

/// A shipped package.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderPackage {
    /// The seller's `packageReferenceId` from `confirmShipment`.
    pub package_reference_id: String,
    /// The carrier.
    #[serde(default)]
    pub carrier: Option<String>,
    /// The tracking number.
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// When it shipped.
    #[serde(default)]
    pub ship_time: Option<Timestamp>,
    /// The shipping service, e.g. 宅急便.
    #[serde(default)]
    pub shipping_service: Option<String>,
    /// The lines in the package.
    #[serde(default)]
    pub package_items: Vec<PackageItem>,
}

/// A line in a package.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageItem {
    /// The order item.
    pub order_item_id: String,
    /// Units in the package.
    pub quantity: u32,
}

/// Macro for the enums below: known values plus `Other(text)` for values this build does not know.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this version does not know; kept verbatim.
            Other(String),
        }

        impl $name {
            /// Amazon's spelling.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)*
                    Self::Other(text) => text,
                }
            }

            /// Parses Amazon's spelling (any case).
            pub fn parse(text: &str) -> Self {
                let upper = text.trim().to_ascii_uppercase();
                match upper.as_str() {
                    $($text => Self::$variant,)*
                    _ => Self::Other(text.to_owned()),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(|text| Self::parse(&text))
            }
        }
    };
}

open_enum! {
    /// Where an order stands (`fulfillment.fulfillmentStatus`; also a `searchOrders` filter).
    FulfillmentStatus {
        /// Pre-order, payment not yet authorized.
        PendingAvailability => "PENDING_AVAILABILITY",
        /// Placed, not ready to ship.
        Pending => "PENDING",
        /// Ready to ship, nothing shipped.
        Unshipped => "UNSHIPPED",
        /// Some items shipped.
        PartiallyShipped => "PARTIALLY_SHIPPED",
        /// Everything shipped.
        Shipped => "SHIPPED",
        /// Cancelled.
        Cancelled => "CANCELLED",
        /// Cannot be fulfilled (Amazon-fulfilled off-Amazon orders only).
        Unfulfillable => "UNFULFILLABLE",
    }
}

open_enum! {
    /// Who ships an order (`fulfilledBy`; also a `searchOrders` filter).
    FulfilledBy {
        /// The merchant (MFN) — the 3PL ships it.
        Merchant => "MERCHANT",
        /// Amazon (FBA).
        Amazon => "AMAZON",
    }
}

open_enum! {
    /// A dataset `searchOrders`/`getOrder` can add to each order (`includedData`).
    IncludedData {
        /// Buyer details.
        Buyer => "BUYER",
        /// Recipient and delivery address.
        Recipient => "RECIPIENT",
        /// Proceeds.
        Proceeds => "PROCEEDS",
        /// Costs such as points.
        Expense => "EXPENSE",
        /// Promotions.
        Promotion => "PROMOTION",
        /// Cancellations.
        Cancellation => "CANCELLATION",
        /// Status and shipping promises.
        Fulfillment => "FULFILLMENT",
        /// Packages and tracking.
        Packages => "PACKAGES",
        /// Tax.
        Tax => "TAX",
        /// Payments.
        Payment => "PAYMENT",
        /// Fulfillment orders.
        FulfillmentOrders => "FULFILLMENT_ORDERS",
    }
}

impl IncludedData {
    /// What converting to [`sellerlink_domain::order::Order`] reads: status (required), totals,
    /// address, buyer name and payment method.
    pub fn for_import() -> Vec<IncludedData> {
        vec![
            Self::Fulfillment,
            Self::Proceeds,
            Self::Recipient,
            Self::Buyer,
            Self::Payment,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_enums_keep_unknown_values() {
        assert_eq!(
            FulfillmentStatus::parse("partially_shipped"),
            FulfillmentStatus::PartiallyShipped
        );
        assert_eq!(
            FulfillmentStatus::parse("ON_HOLD"),
            FulfillmentStatus::Other("ON_HOLD".to_owned())
        );
        assert_eq!(
            FulfillmentStatus::Other("ON_HOLD".to_owned()).as_str(),
            "ON_HOLD"
        );
        assert_eq!(
            IncludedData::FulfillmentOrders.to_string(),
            "FULFILLMENT_ORDERS"
        );
        let status: FulfilledBy = serde_json::from_str("\"MERCHANT\"").unwrap();
        assert_eq!(status, FulfilledBy::Merchant);
    }

    #[test]
    fn money_keeps_the_text_and_tolerates_numbers() {
        let money: Money =
            serde_json::from_str(r#"{"amount":"1507.00","currencyCode":"JPY"}"#).unwrap();
        assert_eq!(money.amount, "1507.00");
        let money: Money = serde_json::from_str(r#"{"amount":1507,"currencyCode":"JPY"}"#).unwrap();
        assert_eq!(money.amount, "1507");
    }
}
