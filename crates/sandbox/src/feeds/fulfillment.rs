//! `_POST_ORDER_FULFILLMENT_DATA_`: shipment confirmations for merchant-fulfilled orders.
//!
//! Each message is checked completely before anything is applied (a message is all or nothing):
//! the order exists for this seller, is MFN and Unshipped/PartiallyShipped at processing time,
//! every item belongs to it, quantities do not exceed what is still unshipped, and the carrier is
//! a known CarrierCode or `Other` with a CarrierName. A CarrierName alone is accepted outside Japan
//! only: Amazon.co.jp requires CarrierCode since 2022-08-31, and CarrierName only next to `Other`.

use crate::feeds::dom::Element;
use crate::feeds::envelope;
use crate::feeds::report::{FeedOutcome, MessageResult, tally};
use crate::ids::{OrderId, parse_order_item_id};
use crate::orders::{FulfillmentChannel, Order, OrderBook, OrderStatus, Shipment};

/// Order not found for this seller.
pub const ORDER_NOT_FOUND: u32 = 18028;
/// Order is fulfilled by Amazon.
pub const NOT_MERCHANT_FULFILLED: u32 = 18029;
/// Order status does not allow shipping.
pub const WRONG_STATUS: u32 = 18030;
/// Item not part of the order.
pub const ITEM_NOT_IN_ORDER: u32 = 18031;
/// Quantity exceeds the unshipped quantity.
pub const QUANTITY_TOO_HIGH: u32 = 18032;
/// Carrier missing or unknown.
pub const BAD_CARRIER: u32 = 18033;
/// FulfillmentDate missing or invalid.
pub const BAD_DATE: u32 = 18034;
/// A required element is missing or malformed.
pub const SCHEMA: u32 = 5001;

/// Carrier codes accepted: the amzn-base.xsd enum tokens and the newer human-readable names.
pub const CARRIER_CODES: &[&str] = &[
    "USPS",
    "UPS",
    "UPSMI",
    "FedEx",
    "DHL",
    "Fastway",
    "GLS",
    "GO!",
    "Hermes Logistik Gruppe",
    "Royal Mail",
    "Parcelforce",
    "City Link",
    "TNT",
    "Target",
    "SagawaExpress",
    "NipponExpress",
    "YamatoTransport",
    "DHL Global Mail",
    "UPS Mail Innovations",
    "FedEx SmartPost",
    "OSM",
    "OnTrac",
    "Streamlite",
    "Newgistics",
    "Canada Post",
    "Blue Package",
    "Chronopost",
    "Deutsche Post",
    "DPD",
    "La Poste",
    "Parcelnet",
    "Poste Italiane",
    "SDA",
    "Smartmail",
    "FEDEX_JP",
    "JP_EXPRESS",
    "NITTSU",
    "SAGAWA",
    "YAMATO",
    "BlueDart",
    "AFL/Fedex",
    "Aramex",
    "India Post",
    "Professional",
    "DTDC",
    "Overnite Express",
    "First Flight",
    "Delhivery",
    "Lasership",
    "Yamato Transport",
    "Sagawa Express",
    "Japan Post",
    "Nippon Express",
    "Seino Transportation",
    "Fukuyama Transporting",
    "Other",
];

/// Processes a fulfillment feed for `seller_id` as of `at_ms`.
pub fn apply(
    doc: &Element,
    seller_id: &str,
    feed_id: &str,
    at_ms: i64,
    orders: &mut OrderBook,
) -> FeedOutcome {
    let messages = match envelope(doc, "OrderFulfillment") {
        Ok(messages) => messages,
        Err(result) => return FeedOutcome::document_error(at_ms, result),
    };
    let mut results = Vec::new();
    let mut effects = Vec::new();
    for (message_id, message) in &messages {
        match apply_message(*message_id, message, seller_id, feed_id, at_ms, orders) {
            Ok(effect) => effects.push(effect),
            Err(result) => results.push(result),
        }
    }
    tally(at_ms, messages.len() as u32, results, effects)
}

fn find_order<'a>(
    orders: &'a mut OrderBook,
    seller_id: &str,
    fulfillment: &Element,
    message_id: u64,
) -> Result<&'a mut Order, MessageResult> {
    let book = orders.seller_mut(seller_id);
    if let Some(text) = fulfillment.child_text("AmazonOrderID") {
        let not_found = || {
            MessageResult::error(
                message_id,
                ORDER_NOT_FOUND,
                format!("The order id {text} was not found in our system."),
            )
            .order(text)
        };
        let id = OrderId::parse("AmazonOrderID", text)
            .map_err(|e| MessageResult::error(message_id, SCHEMA, e.to_string()).order(text))?;
        return book.and_then(|b| b.get_mut(&id)).ok_or_else(not_found);
    }
    if let Some(text) = fulfillment.child_text("MerchantOrderID") {
        let not_found = || {
            MessageResult::error(
                message_id,
                ORDER_NOT_FOUND,
                format!("The merchant order id {text} was not found in our system."),
            )
        };
        let book = book.ok_or_else(not_found)?;
        let id = book
            .all()
            .iter()
            .find(|o| o.seller_order_id() == text)
            .map(|o| o.id)
            .ok_or_else(not_found)?;
        return book.get_mut(&id).ok_or_else(not_found);
    }
    Err(MessageResult::error(
        message_id,
        SCHEMA,
        "OrderFulfillment needs AmazonOrderID or MerchantOrderID.",
    ))
}

fn apply_message(
    message_id: u64,
    message: &Element,
    seller_id: &str,
    feed_id: &str,
    at_ms: i64,
    orders: &mut OrderBook,
) -> Result<String, MessageResult> {
    if message_id == 0 {
        return Err(MessageResult::error(
            0,
            SCHEMA,
            "MessageID must be a positive integer.",
        ));
    }
    let fulfillment = message.child("OrderFulfillment").ok_or_else(|| {
        MessageResult::error(
            message_id,
            SCHEMA,
            "The message has no OrderFulfillment element.",
        )
    })?;
    let order = find_order(orders, seller_id, fulfillment, message_id)?;
    let order_id = order.id.to_string();
    let fail =
        |code: u32, text: String| MessageResult::error(message_id, code, text).order(&order_id);

    let state = order.state_at(at_ms).ok_or_else(|| {
        fail(
            ORDER_NOT_FOUND,
            format!("The order id {order_id} was not found in our system."),
        )
    })?;
    if order.channel == FulfillmentChannel::Afn {
        return Err(fail(
            NOT_MERCHANT_FULFILLED,
            format!(
                "Order {order_id} is fulfilled by Amazon and cannot be confirmed by the seller."
            ),
        ));
    }
    if !matches!(
        state.status,
        OrderStatus::Unshipped | OrderStatus::PartiallyShipped
    ) {
        return Err(fail(
            WRONG_STATUS,
            format!(
                "Order {order_id} is {} and cannot be shipped; only Unshipped or PartiallyShipped orders can.",
                state.status.as_str()
            ),
        ));
    }
    let fulfillment_date = fulfillment.child_text("FulfillmentDate").unwrap_or("");
    if crate::timefmt::parse(fulfillment_date).is_none() {
        return Err(fail(
            BAD_DATE,
            format!(
                "FulfillmentDate '{fulfillment_date}' is missing or not an ISO 8601 date-time."
            ),
        ));
    }
    let data = fulfillment.child("FulfillmentData");
    let carrier_code = data
        .and_then(|d| d.child_text("CarrierCode"))
        .map(str::to_owned);
    let carrier_name = data
        .and_then(|d| d.child_text("CarrierName"))
        .map(str::to_owned);
    let japan = order.marketplace_id == crate::marketplaces::JP;
    match (&carrier_code, &carrier_name) {
        (None, Some(_)) if japan => {
            return Err(fail(
                BAD_CARRIER,
                "CarrierCode is required for Amazon.co.jp orders since 2022-08-31; send a listed carrier code, or CarrierCode Other with CarrierName.".into(),
            ));
        }
        (Some(code), Some(_)) if japan && code != "Other" => {
            return Err(fail(
                BAD_CARRIER,
                format!(
                    "CarrierCode is required to be Other when CarrierName is sent for Amazon.co.jp orders; '{code}' is a listed carrier, send it without CarrierName."
                ),
            ));
        }
        (None, None) => {
            return Err(fail(
                BAD_CARRIER,
                "CarrierCode is required; use Other with CarrierName for unlisted carriers.".into(),
            ));
        }
        (Some(code), _) if !CARRIER_CODES.contains(&code.as_str()) => {
            return Err(fail(
                BAD_CARRIER,
                format!(
                    "CarrierCode '{code}' is not a valid carrier code; use Other with CarrierName."
                ),
            ));
        }
        (Some(code), None) if code == "Other" => {
            return Err(fail(
                BAD_CARRIER,
                "CarrierCode Other needs a CarrierName.".into(),
            ));
        }
        _ => {}
    }

    // Remaining quantity per item at processing time.
    let remaining: Vec<(u64, u32)> = order
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            (
                item.order_item_id,
                item.quantity - order.shipped_quantity(i, at_ms, state.status),
            )
        })
        .collect();
    let mut shipped: Vec<(u64, u32)> = Vec::new();
    let items: Vec<&Element> = fulfillment.children_named("Item").collect();
    if items.is_empty() {
        shipped.extend(remaining.iter().copied().filter(|(_, q)| *q > 0));
    }
    for item in items {
        let code = item.child_text("AmazonOrderItemCode").ok_or_else(|| {
            fail(
                ITEM_NOT_IN_ORDER,
                "The sandbox identifies items by AmazonOrderItemCode; it is missing.".into(),
            )
        })?;
        let item_id = parse_order_item_id("AmazonOrderItemCode", code)
            .map_err(|e| fail(SCHEMA, e.to_string()).item(code))?;
        let left = remaining
            .iter()
            .find(|(id, _)| *id == item_id)
            .map(|(_, q)| *q)
            .ok_or_else(|| {
                fail(
                    ITEM_NOT_IN_ORDER,
                    format!("Order item {code} is not part of order {order_id}."),
                )
                .item(code)
            })?;
        let quantity = match item.child_text("Quantity") {
            None => left,
            Some(text) => match text.parse::<u32>() {
                Ok(q) if q > 0 => q,
                _ => {
                    return Err(fail(
                        SCHEMA,
                        format!("Quantity '{text}' must be a positive integer."),
                    )
                    .item(code));
                }
            },
        };
        let already = shipped
            .iter()
            .filter(|(id, _)| *id == item_id)
            .map(|(_, q)| *q)
            .sum::<u32>();
        if quantity + already > left {
            return Err(fail(
                QUANTITY_TOO_HIGH,
                format!(
                    "Quantity {quantity} for item {code} exceeds the unshipped quantity {}.",
                    left - already.min(left)
                ),
            )
            .item(code));
        }
        shipped.push((item_id, quantity));
    }
    if shipped.iter().all(|(_, q)| *q == 0) {
        return Err(fail(
            QUANTITY_TOO_HIGH,
            format!("Order {order_id} has nothing left to ship."),
        ));
    }

    let all_done = remaining.iter().all(|(id, left)| {
        shipped
            .iter()
            .filter(|(s, _)| s == id)
            .map(|(_, q)| *q)
            .sum::<u32>()
            >= *left
    });
    let status = if all_done {
        OrderStatus::Shipped
    } else {
        OrderStatus::PartiallyShipped
    };
    order.shipments.push(Shipment {
        at_ms,
        feed_submission_id: feed_id.to_owned(),
        fulfillment_date: fulfillment_date.to_owned(),
        carrier_code,
        carrier_name,
        shipping_method: data
            .and_then(|d| d.child_text("ShippingMethod"))
            .map(str::to_owned),
        tracking_number: data
            .and_then(|d| d.child_text("ShipperTrackingNumber"))
            .map(str::to_owned),
        items: shipped,
    });
    // Planned future steps of a generated order give way to the seller's confirmation.
    order.timeline.truncate_after(at_ms);
    order.timeline.push(status, at_ms);
    Ok(format!("{order_id}: {}", status.as_str()))
}
