//! Orders v0 `confirmShipment` (`POST /orders/v0/orders/{orderId}/shipmentConfirmation`),
//! `docs/amazon/SP-API.md#confirmshipment` and `docs/amazon/SP-API.md#carriers`.
//!
//! Checks, in order: the body is a JSON object with `marketplaceId` (the order's) and
//! `packageDetail`; `packageReferenceId` is a JSON string holding a positive integer, not used
//! before for this order; `carrierCode` is in the marketplace's table (Japan: `Japan Post`,
//! `Yamato Transport`, `Sagawa Express`, `Seino Transportation`, `Fukuyama Transporting`,
//! `Nippon Express`) or `Other` with `carrierName`; `trackingNumber`; `shipDate` (ISO 8601);
//! `orderItems` (each item of the order, quantity 1…unshipped). The order must be this seller's,
//! placed, merchant-fulfilled and Unshipped or PartiallyShipped. Success is 204 with no body: the
//! shipment is recorded and the order becomes PartiallyShipped or Shipped — on both APIs, since
//! MWS reads the same order book.

use serde_json::{Map, Value};

use super::errors::SpApiErrorAnswer;
use super::orders_json::CONFIRM_SHIPMENT_PREFIX;
use super::pipeline::{Reply, SpCall};
use crate::ids::OrderId;
use crate::marketplaces::JP;
use crate::orders::{FulfillmentChannel, OrderStatus, Shipment};
use crate::world::World;

/// Carrier codes accepted for Amazon.co.jp orders.
pub const JP_CARRIER_CODES: &[&str] = &[
    "Japan Post",
    "Yamato Transport",
    "Sagawa Express",
    "Seino Transportation",
    "Fukuyama Transporting",
    "Nippon Express",
    "Other",
];

/// A shipment ready to apply.
struct Package {
    reference: String,
    carrier_code: String,
    carrier_name: Option<String>,
    shipping_method: Option<String>,
    tracking_number: String,
    ship_date: String,
    items: Vec<(u64, u32)>,
}

fn text_field(
    object: &Map<String, Value>,
    name: &str,
    path: &str,
) -> Result<Option<String>, SpApiErrorAnswer> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(_) => Err(SpApiErrorAnswer::invalid_message(format!(
            "The input you have submitted is not valid. Please check the fields with invalid type [{path}]."
        ))),
    }
}

fn required(
    object: &Map<String, Value>,
    name: &str,
    path: &str,
) -> Result<String, SpApiErrorAnswer> {
    text_field(object, name, path)?
        .ok_or_else(|| SpApiErrorAnswer::invalid(format!("{path} is required.")))
}

fn read_body(body: &[u8]) -> Result<(String, Map<String, Value>), SpApiErrorAnswer> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| SpApiErrorAnswer::invalid("The request body is not a valid JSON object."))?;
    let Value::Object(root) = value else {
        return Err(SpApiErrorAnswer::invalid(
            "The request body is not a valid JSON object.",
        ));
    };
    let marketplace_id = required(&root, "marketplaceId", "marketplaceId")?;
    match root.get("packageDetail") {
        Some(Value::Object(detail)) => Ok((marketplace_id, detail.clone())),
        None | Some(Value::Null) => Err(SpApiErrorAnswer::invalid("packageDetail is required.")),
        Some(_) => Err(SpApiErrorAnswer::invalid_message(
            "The input you have submitted is not valid. Please check the fields with invalid type [packageDetail].",
        )),
    }
}

fn read_package(
    detail: &Map<String, Value>,
    marketplace_id: &str,
) -> Result<Package, SpApiErrorAnswer> {
    let reference = required(
        detail,
        "packageReferenceId",
        "packageDetail.packageReferenceId",
    )?;
    let positive =
        reference.bytes().all(|b| b.is_ascii_digit()) && reference.bytes().any(|b| b != b'0');
    if !positive {
        return Err(SpApiErrorAnswer::invalid_message(
            "PackageReferenceId: is invalid, must be a positive numeric value.",
        ));
    }
    let carrier_code = required(detail, "carrierCode", "packageDetail.carrierCode")?;
    let carrier_name = text_field(detail, "carrierName", "packageDetail.carrierName")?;
    let known = if marketplace_id == JP {
        JP_CARRIER_CODES.contains(&carrier_code.as_str())
    } else {
        crate::feeds::fulfillment::CARRIER_CODES.contains(&carrier_code.as_str())
    };
    if !known {
        return Err(SpApiErrorAnswer::invalid(format!(
            "carrierCode {carrier_code} is not a carrier of this marketplace; use one of {} or Other with carrierName.",
            JP_CARRIER_CODES[..JP_CARRIER_CODES.len() - 1].join(", ")
        )));
    }
    if carrier_code == "Other" && carrier_name.is_none() {
        return Err(SpApiErrorAnswer::invalid(
            "carrierName is required when carrierCode is Other.",
        ));
    }
    let tracking_number = required(detail, "trackingNumber", "packageDetail.trackingNumber")?;
    let ship_date = required(detail, "shipDate", "packageDetail.shipDate")?;
    if crate::timefmt::parse(&ship_date).is_none() || !ship_date.contains('T') {
        return Err(SpApiErrorAnswer::invalid_dates(&["packageDetail.shipDate"]));
    }
    let shipping_method = text_field(detail, "shippingMethod", "packageDetail.shippingMethod")?;
    let lines = match detail.get("orderItems") {
        Some(Value::Array(lines)) if !lines.is_empty() => lines,
        Some(Value::Array(_)) | None | Some(Value::Null) => {
            return Err(SpApiErrorAnswer::invalid(
                "packageDetail.orderItems needs at least one item.",
            ));
        }
        Some(_) => {
            return Err(SpApiErrorAnswer::invalid_message(
                "The input you have submitted is not valid. Please check the fields with invalid type [packageDetail.orderItems].",
            ));
        }
    };
    let mut items = Vec::with_capacity(lines.len());
    for line in lines {
        let Value::Object(line) = line else {
            return Err(SpApiErrorAnswer::invalid(
                "Each of packageDetail.orderItems must be an object.",
            ));
        };
        let id_text = required(line, "orderItemId", "packageDetail.orderItems.orderItemId")?;
        let id = crate::ids::parse_order_item_id("orderItemId", &id_text).map_err(|_| {
            SpApiErrorAnswer::invalid_message(
                "OrderItemId is invalid, please obtain the value through the getOrderItems API or Manage Orders page",
            )
        })?;
        let quantity = match line.get("quantity") {
            Some(Value::Number(n)) => n.as_u64().filter(|q| (1..=u64::from(u32::MAX)).contains(q)),
            _ => None,
        }
        .ok_or_else(|| {
            SpApiErrorAnswer::invalid(format!(
                "The quantity of order item {id_text} must be a positive integer."
            ))
        })?;
        items.push((id, quantity as u32));
    }
    Ok(Package {
        reference,
        carrier_code,
        carrier_name,
        shipping_method,
        tracking_number,
        ship_date,
        items,
    })
}

/// Answers `confirmShipment`.
pub fn run(world: &mut World, call: &SpCall<'_>) -> Result<Reply, SpApiErrorAnswer> {
    let text = call.path.order_id.as_deref().unwrap_or_default();
    let id =
        OrderId::parse("orderId", text).map_err(|e| SpApiErrorAnswer::invalid(e.to_string()))?;
    let (marketplace_id, detail) = read_body(call.body)?;
    let now_ms = call.now.as_millisecond();
    let order = world
        .orders
        .seller_mut(&call.seller.seller_id)
        .and_then(|book| book.get_mut(&id))
        .filter(|order| order.purchase_ms() <= now_ms)
        .ok_or_else(|| {
            SpApiErrorAnswer::not_found(format!("No order {id} exists for this seller."))
        })?;
    if marketplace_id != order.marketplace_id {
        return Err(SpApiErrorAnswer::invalid(format!(
            "marketplaceId {marketplace_id} is not the marketplace of order {id} ({}).",
            order.marketplace_id
        )));
    }
    let package = read_package(&detail, order.marketplace_id)?;
    let state = order.state_at(now_ms).ok_or_else(|| {
        SpApiErrorAnswer::not_found(format!("No order {id} exists for this seller."))
    })?;
    if order.channel == FulfillmentChannel::Afn {
        return Err(SpApiErrorAnswer::invalid(format!(
            "Order {id} is fulfilled by Amazon; only merchant-fulfilled orders can be confirmed."
        )));
    }
    match state.status {
        OrderStatus::Unshipped | OrderStatus::PartiallyShipped => {}
        OrderStatus::Shipped => {
            return Err(SpApiErrorAnswer::invalid_message(
                "Failed to create package due to not finding a matching package or order already fulfilled.",
            )
            .with_code("PackageToUpdateNotFound"));
        }
        other => {
            return Err(SpApiErrorAnswer::invalid(format!(
                "Order {id} is {} and cannot be confirmed; only Unshipped or PartiallyShipped orders can.",
                other.as_str()
            )));
        }
    }
    let reference_key = format!("{CONFIRM_SHIPMENT_PREFIX}{}", package.reference);
    if order
        .shipments
        .iter()
        .any(|s| s.feed_submission_id == reference_key)
    {
        return Err(SpApiErrorAnswer::invalid(format!(
            "packageReferenceId {} was already used for order {id}; each package needs its own.",
            package.reference
        )));
    }
    let mut shipped: Vec<(u64, u32)> = Vec::new();
    for (item_id, quantity) in &package.items {
        let index = order
            .items
            .iter()
            .position(|item| item.order_item_id == *item_id)
            .ok_or_else(|| {
                SpApiErrorAnswer::invalid_message(
                    "OrderItemId is invalid, please obtain the value through the getOrderItems API or Manage Orders page",
                )
            })?;
        let left =
            order.items[index].quantity - order.shipped_quantity(index, now_ms, state.status);
        let already: u32 = shipped
            .iter()
            .filter(|(i, _)| i == item_id)
            .map(|(_, q)| q)
            .sum();
        if quantity + already > left {
            return Err(SpApiErrorAnswer::invalid(format!(
                "The quantity {quantity} of order item {item_id} exceeds the {} still unshipped.",
                left - already.min(left)
            )));
        }
        shipped.push((*item_id, *quantity));
    }
    let all_done = order.items.iter().enumerate().all(|(index, item)| {
        let before = order.shipped_quantity(index, now_ms, state.status);
        let now_shipped: u32 = shipped
            .iter()
            .filter(|(i, _)| *i == item.order_item_id)
            .map(|(_, q)| q)
            .sum();
        before + now_shipped >= item.quantity
    });
    let status = if all_done {
        OrderStatus::Shipped
    } else {
        OrderStatus::PartiallyShipped
    };
    order.shipments.push(Shipment {
        at_ms: now_ms,
        feed_submission_id: reference_key,
        fulfillment_date: package.ship_date,
        carrier_code: Some(package.carrier_code),
        carrier_name: package.carrier_name,
        shipping_method: package.shipping_method,
        tracking_number: Some(package.tracking_number),
        items: shipped,
    });
    order.timeline.truncate_after(now_ms);
    order.timeline.push(status, now_ms);
    Ok(Reply::no_content())
}
