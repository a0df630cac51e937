//! Orders API v2026-01-01 JSON: camelCase, unwrapped, money as `{amount (decimal string),
//! currencyCode}`. `orderItems` are always present; the other parts follow `includedData`. While
//! an order is Pending the buyer, recipient, proceeds, payment and item prices are withheld (the
//! same rule as the MWS side).

use crate::orders::{FulfillmentChannel, Order, OrderItem, OrderState, OrderStatus, Shipment};
use crate::timefmt::{from_ms, seconds_z};

use super::errors::SpApiErrorAnswer;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;
/// Shipments recorded by `confirmShipment` carry this prefix before their packageReferenceId.
pub const CONFIRM_SHIPMENT_PREFIX: &str = "confirmShipment/";

/// The `includedData` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// Buyer name and anonymized e-mail.
    Buyer,
    /// Delivery address.
    Recipient,
    /// Money the seller receives.
    Proceeds,
    /// Costs (none in the sandbox's data).
    Expense,
    /// Promotion IDs of discounted items.
    Promotion,
    /// Cancellations (none in the sandbox's data).
    Cancellation,
    /// Status, service level and windows; item shipped/unshipped counts.
    Fulfillment,
    /// Shipped packages.
    Packages,
    /// Tax (JP prices include it; nothing is broken out).
    Tax,
    /// Payment executions.
    Payment,
    /// Multi-channel fulfillment orders (none).
    FulfillmentOrders,
}

impl Dataset {
    const ALL: [(Dataset, &'static str); 11] = [
        (Self::Buyer, "BUYER"),
        (Self::Recipient, "RECIPIENT"),
        (Self::Proceeds, "PROCEEDS"),
        (Self::Expense, "EXPENSE"),
        (Self::Promotion, "PROMOTION"),
        (Self::Cancellation, "CANCELLATION"),
        (Self::Fulfillment, "FULFILLMENT"),
        (Self::Packages, "PACKAGES"),
        (Self::Tax, "TAX"),
        (Self::Payment, "PAYMENT"),
        (Self::FulfillmentOrders, "FULFILLMENT_ORDERS"),
    ];

    /// Parses Amazon's spelling.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(d, _)| *d)
    }
}

/// The datasets a request asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Included(Vec<Dataset>);

impl Included {
    /// Parses `includedData` values; an unknown one is a 400.
    pub fn parse(values: &[String]) -> Result<Self, SpApiErrorAnswer> {
        let mut sets = Vec::new();
        for value in values {
            let set = Dataset::parse(value).ok_or_else(|| {
                SpApiErrorAnswer::invalid(format!(
                    "includedData value {value} is not one of BUYER, RECIPIENT, PROCEEDS, EXPENSE, PROMOTION, CANCELLATION, FULFILLMENT, PACKAGES, TAX, PAYMENT, FULFILLMENT_ORDERS."
                ))
            })?;
            if !sets.contains(&set) {
                sets.push(set);
            }
        }
        Ok(Self(sets))
    }

    /// Whether `set` was asked for.
    pub fn has(&self, set: Dataset) -> bool {
        self.0.contains(&set)
    }
}

/// The 2026-01-01 status name.
pub fn fulfillment_status(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::PendingAvailability => "PENDING_AVAILABILITY",
        OrderStatus::Pending => "PENDING",
        OrderStatus::Unshipped => "UNSHIPPED",
        OrderStatus::PartiallyShipped => "PARTIALLY_SHIPPED",
        OrderStatus::Shipped => "SHIPPED",
        OrderStatus::Canceled => "CANCELLED",
        OrderStatus::Unfulfillable => "UNFULFILLABLE",
    }
}

/// Parses a 2026-01-01 status name.
pub fn parse_fulfillment_status(text: &str) -> Option<OrderStatus> {
    OrderStatus::ALL
        .into_iter()
        .find(|s| fulfillment_status(*s) == text)
}

/// `MERCHANT` or `AMAZON`.
pub fn fulfilled_by(channel: FulfillmentChannel) -> &'static str {
    match channel {
        FulfillmentChannel::Mfn => "MERCHANT",
        FulfillmentChannel::Afn => "AMAZON",
    }
}

/// Parses `MERCHANT` / `AMAZON`.
pub fn parse_fulfilled_by(text: &str) -> Option<FulfillmentChannel> {
    match text {
        "MERCHANT" => Some(FulfillmentChannel::Mfn),
        "AMAZON" => Some(FulfillmentChannel::Afn),
        _ => None,
    }
}

/// A decimal string for an amount in hundredths: whole yen without decimals (`1507`), other
/// currencies with two (`29.99`).
pub fn decimal(hundredths: i64, currency: &str) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    if currency == "JPY" && abs.is_multiple_of(100) {
        format!("{sign}{}", abs / 100)
    } else {
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// `Standard` → `STANDARD`, `NextDay` → `NEXT_DAY`.
fn service_level(category: &str) -> String {
    let mut out = String::with_capacity(category.len() + 4);
    for (i, c) in category.chars().enumerate() {
        if i > 0 && c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Money {
    amount: String,
    currency_code: &'static str,
}

fn money(hundredths: i64, currency: &'static str) -> Money {
    Money {
        amount: decimal(hundredths, currency),
        currency_code: currency,
    }
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Alias {
    alias_id: String,
    alias_type: &'static str,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SalesChannel {
    channel_name: &'static str,
    marketplace_id: &'static str,
    marketplace_name: &'static str,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Buyer {
    buyer_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer_email: Option<String>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Address {
    name: String,
    address_line1: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    address_line2: Option<String>,
    city: String,
    state_or_region: String,
    postal_code: String,
    country_code: &'static str,
    phone: String,
    address_type: &'static str,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Recipient {
    delivery_address: Address,
}

#[derive(Debug, serde::Serialize)]
struct Breakdown {
    #[serde(rename = "type")]
    kind: &'static str,
    subtotal: Money,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderProceeds {
    grand_total: Money,
    breakdowns: Vec<Breakdown>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PaymentExecution {
    payment_method: &'static str,
    payment_amount: Money,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Payment {
    payment_executions: Vec<PaymentExecution>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Window {
    earliest_date_time: String,
    latest_date_time: String,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct OrderFulfillment {
    fulfillment_status: &'static str,
    fulfilled_by: &'static str,
    fulfillment_service_level: String,
    ship_by_window: Window,
    #[serde(skip_serializing_if = "Option::is_none")]
    deliver_by_window: Option<Window>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Condition {
    condition_type: &'static str,
    condition_subtype: &'static str,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Price {
    unit_price: Money,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Product {
    asin: String,
    title: String,
    seller_sku: String,
    condition: Condition,
    #[serde(skip_serializing_if = "Option::is_none")]
    price: Option<Price>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemProceeds {
    proceeds_total: Money,
    breakdowns: Vec<Breakdown>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PromotionId {
    promotion_id: String,
}

#[derive(Debug, serde::Serialize)]
struct ItemPromotion {
    breakdowns: Vec<PromotionId>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ItemFulfillment {
    quantity_fulfilled: u32,
    quantity_unfulfilled: u32,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    order_item_id: String,
    quantity_ordered: u32,
    programs: Vec<&'static str>,
    product: Product,
    #[serde(skip_serializing_if = "Option::is_none")]
    proceeds: Option<ItemProceeds>,
    #[serde(skip_serializing_if = "Option::is_none")]
    promotion: Option<ItemPromotion>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fulfillment: Option<ItemFulfillment>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PackageItem {
    order_item_id: String,
    quantity: u32,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Package {
    package_reference_id: String,
    created_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    carrier: Option<String>,
    ship_time: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    shipping_service: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tracking_number: Option<String>,
    package_items: Vec<PackageItem>,
}

/// One order in the 2026-01-01 shape.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderJson {
    order_id: String,
    order_aliases: Vec<Alias>,
    created_time: String,
    last_updated_time: String,
    programs: Vec<&'static str>,
    sales_channel: SalesChannel,
    #[serde(skip_serializing_if = "Option::is_none")]
    buyer: Option<Buyer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient: Option<Recipient>,
    #[serde(skip_serializing_if = "Option::is_none")]
    proceeds: Option<OrderProceeds>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payment: Option<Payment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fulfillment: Option<OrderFulfillment>,
    order_items: Vec<Item>,
    #[serde(skip_serializing_if = "Option::is_none")]
    packages: Option<Vec<Package>>,
}

fn date(ms: i64) -> String {
    seconds_z(from_ms(ms))
}

fn proceeds_breakdowns(items: &[&OrderItem], currency: &'static str) -> Vec<Breakdown> {
    let sum = |f: fn(&OrderItem) -> i64| items.iter().map(|i| f(i)).sum::<i64>();
    let mut out = vec![Breakdown {
        kind: "ITEM",
        subtotal: money(sum(|i| i.item_price), currency),
    }];
    let shipping = sum(|i| i.shipping_price);
    if shipping != 0 {
        out.push(Breakdown {
            kind: "SHIPPING",
            subtotal: money(shipping, currency),
        });
    }
    let cod = sum(|i| i.cod_fee);
    if cod != 0 {
        out.push(Breakdown {
            kind: "COD_FEE",
            subtotal: money(cod, currency),
        });
    }
    let discount = sum(|i| i.promotion_discount);
    if discount != 0 {
        out.push(Breakdown {
            kind: "DISCOUNT",
            subtotal: money(-discount, currency),
        });
    }
    out
}

/// The packageReferenceId of a recorded shipment: the one `confirmShipment` was given, or the
/// feed submission ID for shipments confirmed by a fulfillment feed.
pub fn package_reference(shipment: &Shipment) -> &str {
    shipment
        .feed_submission_id
        .strip_prefix(CONFIRM_SHIPMENT_PREFIX)
        .unwrap_or(&shipment.feed_submission_id)
}

fn package(shipment: &Shipment) -> Package {
    let carrier = match (shipment.carrier_code.as_deref(), &shipment.carrier_name) {
        (Some("Other") | None, Some(name)) => Some(name.clone()),
        (code, _) => code.map(str::to_owned),
    };
    let ship_time = crate::timefmt::parse(&shipment.fulfillment_date)
        .map(seconds_z)
        .unwrap_or_else(|| date(shipment.at_ms));
    Package {
        package_reference_id: package_reference(shipment).to_owned(),
        created_time: date(shipment.at_ms),
        carrier,
        ship_time,
        shipping_service: shipment.shipping_method.clone(),
        tracking_number: shipment.tracking_number.clone(),
        package_items: shipment
            .items
            .iter()
            .map(|(id, quantity)| PackageItem {
                order_item_id: id.to_string(),
                quantity: *quantity,
            })
            .collect(),
    }
}

/// Renders `order` as seen at `now_ms` in `state` with the datasets in `included`.
pub fn order_json(order: &Order, state: OrderState, now_ms: i64, included: &Included) -> OrderJson {
    let status = state.status;
    let hide = status.hides_buyer();
    let currency = order.currency;
    let mfn = order.channel == FulfillmentChannel::Mfn;
    let marketplace = crate::marketplaces::find(order.marketplace_id);
    let mut programs = Vec::new();
    if order.is_prime {
        programs.push("PRIME");
    }
    if order.is_business {
        programs.push("AMAZON_BUSINESS");
    }
    let all_items: Vec<&OrderItem> = order.items.iter().collect();
    let earliest_ship = (order.purchase_ms() / HOUR_MS + 1) * HOUR_MS;
    let latest_ship = earliest_ship + 2 * DAY_MS;
    let order_items = order
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let shipped = order.shipped_quantity(index, now_ms, status);
            let unshipped = if status == OrderStatus::Canceled {
                0
            } else {
                item.quantity.saturating_sub(shipped)
            };
            let unit = item.item_price / i64::from(item.quantity.max(1));
            Item {
                order_item_id: item.order_item_id.to_string(),
                quantity_ordered: item.quantity,
                programs: Vec::new(),
                product: Product {
                    asin: item.asin.as_str().to_owned(),
                    title: item.title.to_string(),
                    seller_sku: item.sku.to_string(),
                    condition: Condition {
                        condition_type: "NEW",
                        condition_subtype: "NEW",
                    },
                    price: (!hide).then(|| Price {
                        unit_price: money(unit, currency),
                    }),
                },
                proceeds: (included.has(Dataset::Proceeds) && !hide).then(|| ItemProceeds {
                    proceeds_total: money(item.total(), currency),
                    breakdowns: proceeds_breakdowns(&[item], currency),
                }),
                promotion: (included.has(Dataset::Promotion) && item.promotion_discount > 0).then(
                    || ItemPromotion {
                        breakdowns: vec![PromotionId {
                            promotion_id: format!("JP-PROMO-{}", item.order_item_id % 1000),
                        }],
                    },
                ),
                fulfillment: included
                    .has(Dataset::Fulfillment)
                    .then_some(ItemFulfillment {
                        quantity_fulfilled: shipped,
                        quantity_unfulfilled: unshipped,
                    }),
            }
        })
        .collect();
    let a = &order.address;
    OrderJson {
        order_id: order.id.as_str().to_owned(),
        order_aliases: vec![Alias {
            alias_id: order.seller_order_id().to_owned(),
            alias_type: "SELLER_ORDER_ID",
        }],
        created_time: date(order.purchase_ms()),
        last_updated_time: date(state.last_update_ms),
        programs,
        sales_channel: SalesChannel {
            channel_name: "AMAZON",
            marketplace_id: order.marketplace_id,
            marketplace_name: marketplace.map_or("Amazon.co.jp", |m| m.name),
        },
        buyer: (included.has(Dataset::Buyer) && !hide).then(|| Buyer {
            buyer_name: order.buyer_name.clone(),
            buyer_email: mfn.then(|| order.buyer_email.clone()),
        }),
        recipient: (included.has(Dataset::Recipient) && !hide).then(|| Recipient {
            delivery_address: Address {
                name: a.name.clone(),
                address_line1: a.line1.clone(),
                address_line2: a.line2.clone(),
                city: a.city.clone(),
                state_or_region: a.prefecture.clone(),
                postal_code: a.postal_code.clone(),
                country_code: a.country_code,
                phone: a.phone.clone(),
                address_type: if a.address_type == "Commercial" {
                    "COMMERCIAL"
                } else {
                    "RESIDENTIAL"
                },
            },
        }),
        proceeds: (included.has(Dataset::Proceeds) && !hide).then(|| OrderProceeds {
            grand_total: money(order.total(), currency),
            breakdowns: proceeds_breakdowns(&all_items, currency),
        }),
        payment: (included.has(Dataset::Payment) && !hide).then(|| Payment {
            payment_executions: vec![PaymentExecution {
                payment_method: order.payment.spapi_name(),
                payment_amount: money(order.total(), currency),
            }],
        }),
        fulfillment: included
            .has(Dataset::Fulfillment)
            .then(|| OrderFulfillment {
                fulfillment_status: fulfillment_status(status),
                fulfilled_by: fulfilled_by(order.channel),
                fulfillment_service_level: service_level(order.service_category),
                ship_by_window: Window {
                    earliest_date_time: date(earliest_ship),
                    latest_date_time: date(latest_ship),
                },
                deliver_by_window: (mfn
                    && !matches!(status, OrderStatus::Pending | OrderStatus::Canceled))
                .then(|| Window {
                    earliest_date_time: date(latest_ship + DAY_MS),
                    latest_date_time: date(latest_ship + 3 * DAY_MS),
                }),
            }),
        order_items,
        packages: (included.has(Dataset::Packages) && mfn).then(|| {
            order
                .shipments
                .iter()
                .filter(|s| s.at_ms <= now_ms)
                .map(package)
                .collect()
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_amounts() {
        assert_eq!(decimal(150_700, "JPY"), "1507");
        assert_eq!(decimal(150_750, "JPY"), "1507.50");
        assert_eq!(decimal(-2_999, "AUD"), "-29.99");
        assert_eq!(service_level("NextDay"), "NEXT_DAY");
        assert_eq!(service_level("Standard"), "STANDARD");
        for status in OrderStatus::ALL {
            assert_eq!(
                parse_fulfillment_status(fulfillment_status(status)),
                Some(status)
            );
        }
        assert_eq!(parse_fulfillment_status("Canceled"), None);
        assert!(Included::parse(&["BUYER".into(), "NOPE".into()]).is_err());
        assert!(
            Included::parse(&["PACKAGES".into()])
                .unwrap()
                .has(Dataset::Packages)
        );
    }
}
