//! Orders, stock and feeds of one seller: create and change orders, and inspect what the sandbox
//! (and the feeds it processed) made of them.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use rand::Rng;

use crate::AppState;
use crate::control::{ControlError, ControlResult};
use crate::feeds::report::FeedOutcome;
use crate::ids::{Asin, OrderId, parse_order_item_id};
use crate::orders::{
    Address, FulfillmentChannel, Order, OrderItem, OrderStatus, PaymentMethod, Timeline,
};
use crate::stock::StockLevel;
use crate::timefmt::{from_ms, seconds_z};
use crate::world::{World, lock};
use crate::xml::money;

/// One order item as the sandbox sees it now.
#[derive(Debug, serde::Serialize)]
pub struct ItemView {
    /// 14 digits.
    pub order_item_id: String,
    /// ASIN.
    pub asin: String,
    /// SKU.
    pub sku: String,
    /// Title.
    pub title: String,
    /// QuantityOrdered.
    pub quantity_ordered: u32,
    /// QuantityShipped now.
    pub quantity_shipped: u32,
    /// ItemPrice (`1507.00`).
    pub item_price: String,
}

/// A shipment confirmation applied by a feed.
#[derive(Debug, serde::Serialize)]
pub struct ShipmentView {
    /// When the feed was processed.
    pub at: String,
    /// The feed.
    pub feed_submission_id: String,
    /// FulfillmentDate as sent.
    pub fulfillment_date: String,
    /// CarrierCode.
    pub carrier_code: Option<String>,
    /// CarrierName.
    pub carrier_name: Option<String>,
    /// ShippingMethod.
    pub shipping_method: Option<String>,
    /// ShipperTrackingNumber.
    pub tracking_number: Option<String>,
    /// (order item ID, quantity).
    pub items: Vec<(String, u32)>,
}

/// One order as the sandbox sees it now.
#[derive(Debug, serde::Serialize)]
pub struct OrderView {
    /// Amazon order ID.
    pub amazon_order_id: String,
    /// Seller order ID.
    pub seller_order_id: String,
    /// Marketplace.
    pub marketplace_id: String,
    /// Status now.
    pub status: &'static str,
    /// PurchaseDate.
    pub purchase_date: String,
    /// LastUpdateDate now.
    pub last_update_date: String,
    /// MFN/AFN.
    pub fulfillment_channel: &'static str,
    /// COD/CVS/Other.
    pub payment_method: &'static str,
    /// OrderTotal amount.
    pub order_total: String,
    /// Currency.
    pub currency: &'static str,
    /// Buyer name.
    pub buyer_name: String,
    /// Items shipped now.
    pub number_of_items_shipped: u32,
    /// Items unshipped now.
    pub number_of_items_unshipped: u32,
    /// Lines.
    pub items: Vec<ItemView>,
    /// Feed-applied shipments.
    pub shipments: Vec<ShipmentView>,
}

fn order_view(order: &Order, now_ms: i64) -> Option<OrderView> {
    let state = order.state_at(now_ms)?;
    let (shipped, unshipped) = order.item_counts(now_ms, state.status);
    Some(OrderView {
        amazon_order_id: order.id.to_string(),
        seller_order_id: order.seller_order_id().to_owned(),
        marketplace_id: order.marketplace_id.to_owned(),
        status: state.status.as_str(),
        purchase_date: seconds_z(from_ms(order.purchase_ms())),
        last_update_date: seconds_z(from_ms(state.last_update_ms)),
        fulfillment_channel: order.channel.as_str(),
        payment_method: order.payment.as_str(),
        order_total: money(order.total()),
        currency: order.currency,
        buyer_name: order.buyer_name.clone(),
        number_of_items_shipped: shipped,
        number_of_items_unshipped: unshipped,
        items: order
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| ItemView {
                order_item_id: item.order_item_id.to_string(),
                asin: item.asin.as_str().to_owned(),
                sku: item.sku.to_string(),
                title: item.title.to_string(),
                quantity_ordered: item.quantity,
                quantity_shipped: order.shipped_quantity(i, now_ms, state.status),
                item_price: money(item.item_price),
            })
            .collect(),
        shipments: order
            .shipments
            .iter()
            .filter(|s| s.at_ms <= now_ms)
            .map(|s| ShipmentView {
                at: seconds_z(from_ms(s.at_ms)),
                feed_submission_id: s.feed_submission_id.clone(),
                fulfillment_date: s.fulfillment_date.clone(),
                carrier_code: s.carrier_code.clone(),
                carrier_name: s.carrier_name.clone(),
                shipping_method: s.shipping_method.clone(),
                tracking_number: s.tracking_number.clone(),
                items: s.items.iter().map(|(id, q)| (id.to_string(), *q)).collect(),
            })
            .collect(),
    })
}

fn require_seller(world: &World, seller_id: &str) -> Result<(), ControlError> {
    world
        .seller(seller_id)
        .map(|_| ())
        .ok_or_else(|| ControlError::not_found(format!("no seller {seller_id}")))
}

/// `GET …/orders` options.
#[derive(Debug, Default, serde::Deserialize)]
pub struct OrderListOptions {
    /// Include orders whose purchase date is still in the future (shown as of their purchase).
    #[serde(default)]
    pub include_future: bool,
}

pub(crate) async fn list_orders(
    State(state): State<AppState>,
    Path(seller_id): Path<String>,
    Query(options): Query<OrderListOptions>,
) -> ControlResult<Vec<OrderView>> {
    let mut world = lock(&state.world);
    world.settle();
    require_seller(&world, &seller_id)?;
    let now_ms = world.now().as_millisecond();
    let mut views: Vec<OrderView> = world
        .orders
        .seller(&seller_id)
        .map(|book| {
            book.all()
                .iter()
                .filter_map(|o| {
                    order_view(
                        o,
                        if options.include_future {
                            now_ms.max(o.purchase_ms())
                        } else {
                            now_ms
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    views.sort_by(|a, b| {
        (&a.purchase_date, &a.amazon_order_id).cmp(&(&b.purchase_date, &b.amazon_order_id))
    });
    Ok(Json(views))
}

pub(crate) async fn get_order(
    State(state): State<AppState>,
    Path((seller_id, order_id)): Path<(String, String)>,
) -> ControlResult<OrderView> {
    let mut world = lock(&state.world);
    world.settle();
    require_seller(&world, &seller_id)?;
    let id = OrderId::parse("order_id", &order_id)
        .map_err(|e| ControlError::bad_request(e.to_string()))?;
    let now_ms = world.now().as_millisecond();
    world
        .orders
        .seller(&seller_id)
        .and_then(|b| b.get(&id))
        .and_then(|o| order_view(o, now_ms))
        .map(Json)
        .ok_or_else(|| {
            ControlError::not_found(format!(
                "seller {seller_id} has no visible order {order_id}"
            ))
        })
}

/// One line of `POST …/orders`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewItem {
    /// SKU.
    pub sku: String,
    /// Title (default: the SKU).
    pub title: Option<String>,
    /// ASIN (generated if absent).
    pub asin: Option<String>,
    /// Quantity ordered (≥ 1).
    pub quantity: u32,
    /// Unit price in whole currency units (yen).
    pub unit_price: u32,
    /// 14-digit OrderItemId (generated if absent).
    pub order_item_id: Option<String>,
}

/// `POST /_sandbox/sellers/{seller_id}/orders`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewOrder {
    /// Amazon order ID (generated if absent).
    pub amazon_order_id: Option<String>,
    /// Seller order ID (default: the Amazon order ID).
    pub seller_order_id: Option<String>,
    /// Purchase date (RFC 3339; default now).
    pub purchase_date: Option<String>,
    /// Status from the purchase date on (default `Unshipped`).
    pub status: Option<String>,
    /// `MFN` (default) or `AFN`.
    pub fulfillment_channel: Option<String>,
    /// Marketplace (default: the seller's first).
    pub marketplace_id: Option<String>,
    /// `COD`, `CVS` or `Other` (default).
    pub payment_method: Option<String>,
    /// Buyer name (generated if absent).
    pub buyer_name: Option<String>,
    /// Buyer e-mail (generated if absent).
    pub buyer_email: Option<String>,
    /// Lines (1–1000).
    pub items: Vec<NewItem>,
}

fn parse_time(name: &str, text: Option<&str>, default_ms: i64) -> Result<i64, ControlError> {
    match text {
        None => Ok(default_ms),
        Some(t) => crate::timefmt::parse(t)
            .map(|ts| ts.as_millisecond().div_euclid(1000) * 1000)
            .ok_or_else(|| {
                ControlError::bad_request(format!("{name} '{t}' is not an RFC 3339 instant"))
            }),
    }
}

pub(crate) async fn create_order(
    State(state): State<AppState>,
    Path(seller_id): Path<String>,
    Json(new): Json<NewOrder>,
) -> ControlResult<OrderView> {
    let mut guard = lock(&state.world);
    let world = &mut *guard;
    world.settle();
    let seller = world
        .seller(&seller_id)
        .cloned()
        .ok_or_else(|| ControlError::not_found(format!("no seller {seller_id}")))?;
    if new.items.is_empty() || new.items.len() > 1000 {
        return Err(ControlError::bad_request("items must hold 1 to 1000 lines"));
    }
    let now_ms = world.now().as_millisecond().div_euclid(1000) * 1000;
    let purchase_ms = parse_time("purchase_date", new.purchase_date.as_deref(), now_ms)?;
    let status = match new.status.as_deref() {
        None => OrderStatus::Unshipped,
        Some(text) => OrderStatus::parse(text).ok_or_else(|| {
            ControlError::bad_request(format!("status '{text}' is not an MWS OrderStatus"))
        })?,
    };
    let channel = match new.fulfillment_channel.as_deref() {
        None => FulfillmentChannel::Mfn,
        Some(text) => FulfillmentChannel::parse(text)
            .ok_or_else(|| ControlError::bad_request("fulfillment_channel must be MFN or AFN"))?,
    };
    let payment = match new.payment_method.as_deref() {
        None => PaymentMethod::Other,
        Some(text) => PaymentMethod::parse(text)
            .ok_or_else(|| ControlError::bad_request("payment_method must be COD, CVS or Other"))?,
    };
    let marketplace_text = new
        .marketplace_id
        .clone()
        .unwrap_or_else(|| seller.marketplace_ids[0].clone());
    if !seller.marketplace_ids.contains(&marketplace_text) {
        return Err(ControlError::bad_request(format!(
            "seller {seller_id} does not sell in marketplace {marketplace_text}"
        )));
    }
    let marketplace = crate::marketplaces::find(&marketplace_text).ok_or_else(|| {
        ControlError::bad_request(format!("unknown marketplace {marketplace_text}"))
    })?;
    let id = match &new.amazon_order_id {
        Some(text) => OrderId::parse("amazon_order_id", text)
            .map_err(|e| ControlError::bad_request(e.to_string()))?,
        None => loop {
            let id = crate::generate::ids::order_id(&mut world.rng);
            if !world.orders.order_id_taken(&id) {
                break id;
            }
        },
    };
    let mut items = Vec::with_capacity(new.items.len());
    for line in &new.items {
        if line.quantity == 0 {
            return Err(ControlError::bad_request(format!(
                "item {} needs a quantity of at least 1",
                line.sku
            )));
        }
        if line.sku.is_empty() || line.sku.chars().count() > 40 {
            return Err(ControlError::bad_request(
                "every item needs a SKU of 1 to 40 characters",
            ));
        }
        let asin = match &line.asin {
            Some(text) => {
                Asin::parse(text).map_err(|e| ControlError::bad_request(e.to_string()))?
            }
            None => crate::generate::ids::asin(&mut world.rng),
        };
        let order_item_id = match &line.order_item_id {
            Some(text) => parse_order_item_id("order_item_id", text)
                .map_err(|e| ControlError::bad_request(e.to_string()))?,
            None => loop {
                let candidate = crate::generate::ids::order_item_id(&mut world.rng);
                let taken_here = items
                    .iter()
                    .any(|i: &OrderItem| i.order_item_id == candidate);
                if !world.orders.item_id_taken(candidate) && !taken_here {
                    break candidate;
                }
            },
        };
        items.push(OrderItem {
            order_item_id,
            asin,
            sku: Arc::from(line.sku.as_str()),
            title: Arc::from(line.title.as_deref().unwrap_or(&line.sku)),
            quantity: line.quantity,
            item_price: i64::from(line.unit_price) * i64::from(line.quantity) * 100,
            shipping_price: 0,
            promotion_discount: 0,
            cod_fee: 0,
            is_gift: false,
            condition: "New",
        });
    }
    let buyer_name = new
        .buyer_name
        .clone()
        .unwrap_or_else(|| crate::generate::orders::person(&mut world.rng));
    let (address, place): (Address, _) =
        crate::generate::orders::address(&mut world.rng, buyer_name.clone());
    let buyer_email = new
        .buyer_email
        .clone()
        .unwrap_or_else(|| crate::generate::ids::buyer_email(&mut world.rng));
    let mut timeline = Timeline::starting(OrderStatus::Pending, purchase_ms);
    if status != OrderStatus::Pending {
        timeline.push(status, purchase_ms);
    }
    let order = Order {
        id,
        seller_order_id: new.seller_order_id.clone(),
        marketplace_id: marketplace.id,
        currency: marketplace.currency,
        channel,
        timeline,
        buyer_name,
        buyer_email,
        address,
        ship_service_level: format!("Std JP {}", place.region),
        service_category: "Standard",
        payment,
        is_prime: world.rng.random_bool(0.2),
        is_business: false,
        items,
        shipments: Vec::new(),
    };
    let stamp = from_ms(now_ms).to_string();
    for item in &order.items {
        if world.stock.get(&seller_id, &item.sku).is_none() {
            let level = StockLevel {
                quantity: 0,
                fulfillment_network: false,
                fulfillment_latency: None,
                restock_date: None,
                switch_fulfillment_to: None,
                updated_at: stamp.clone(),
                feed_submission_id: None,
            };
            world.stock.set(&seller_id, &item.sku, level);
        }
    }
    let view_at = now_ms.max(purchase_ms);
    let view = order_view(&order, view_at);
    world
        .orders
        .insert(&seller_id, order)
        .map_err(|e| ControlError::conflict(e.to_string()))?;
    view.map(Json)
        .ok_or_else(|| ControlError::bad_request("the order could not be shown"))
}

/// `POST …/orders/{order_id}/status`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// The new status.
    pub status: String,
    /// When it changes (RFC 3339; default now). Planned later changes are dropped.
    pub at: Option<String>,
}

pub(crate) async fn set_status(
    State(state): State<AppState>,
    Path((seller_id, order_id)): Path<(String, String)>,
    Json(change): Json<StatusChange>,
) -> ControlResult<OrderView> {
    let mut world = lock(&state.world);
    world.settle();
    require_seller(&world, &seller_id)?;
    let id = OrderId::parse("order_id", &order_id)
        .map_err(|e| ControlError::bad_request(e.to_string()))?;
    let status = OrderStatus::parse(&change.status).ok_or_else(|| {
        ControlError::bad_request(format!(
            "status '{}' is not an MWS OrderStatus",
            change.status
        ))
    })?;
    let now_ms = world.now().as_millisecond().div_euclid(1000) * 1000;
    let at_ms = parse_time("at", change.at.as_deref(), now_ms)?;
    let order = world
        .orders
        .seller_mut(&seller_id)
        .and_then(|b| b.get_mut(&id))
        .ok_or_else(|| {
            ControlError::not_found(format!("seller {seller_id} has no order {order_id}"))
        })?;
    if at_ms < order.purchase_ms() {
        return Err(ControlError::bad_request(
            "at must not be before the purchase date",
        ));
    }
    order.timeline.truncate_after(at_ms);
    order.timeline.push(status, at_ms);
    let view = order_view(order, now_ms.max(at_ms));
    view.map(Json)
        .ok_or_else(|| ControlError::bad_request("the order could not be shown"))
}

/// The body of `PUT …/orders/{order_id}/malformed`.
#[derive(Debug, serde::Deserialize)]
pub struct MalformedChange {
    /// `optional_fields_missing` or `unreadable`.
    pub kind: crate::malformed::Malformation,
}

pub(crate) async fn set_malformed(
    State(state): State<AppState>,
    Path((seller_id, order_id)): Path<(String, String)>,
    Json(change): Json<MalformedChange>,
) -> ControlResult<serde_json::Value> {
    let mut world = lock(&state.world);
    require_seller(&world, &seller_id)?;
    let id = OrderId::parse("order_id", &order_id)
        .map_err(|e| ControlError::bad_request(e.to_string()))?;
    if world
        .orders
        .seller(&seller_id)
        .and_then(|b| b.get(&id))
        .is_none()
    {
        return Err(ControlError::not_found(format!(
            "seller {seller_id} has no order {order_id}"
        )));
    }
    world.malformed.set(&seller_id, &order_id, change.kind);
    Ok(Json(
        serde_json::json!({ "order_id": order_id, "kind": change.kind }),
    ))
}

pub(crate) async fn clear_malformed(
    State(state): State<AppState>,
    Path((seller_id, order_id)): Path<(String, String)>,
) -> axum::http::StatusCode {
    if lock(&state.world).malformed.remove(&seller_id, &order_id) {
        axum::http::StatusCode::NO_CONTENT
    } else {
        axum::http::StatusCode::NOT_FOUND
    }
}

pub(crate) async fn stock(
    State(state): State<AppState>,
    Path(seller_id): Path<String>,
) -> ControlResult<BTreeMap<String, StockLevel>> {
    let mut world = lock(&state.world);
    world.settle();
    require_seller(&world, &seller_id)?;
    Ok(Json(
        world.stock.seller(&seller_id).cloned().unwrap_or_default(),
    ))
}

/// A feed submission with what processing did.
#[derive(Debug, serde::Serialize)]
pub struct FeedView {
    /// FeedSubmissionId.
    pub feed_submission_id: String,
    /// FeedType.
    pub feed_type: String,
    /// Status now.
    pub status: &'static str,
    /// Submitting developer.
    pub developer_id: String,
    /// SubmittedDate.
    pub submitted_at: String,
    /// StartedProcessingDate.
    pub started_at: String,
    /// CompletedProcessingDate.
    pub completed_at: String,
    /// The body's Content-Type.
    pub content_type: String,
    /// The processing result, once done.
    pub outcome: Option<FeedOutcome>,
    /// The processing report document, once done.
    pub report: Option<String>,
}

pub(crate) async fn feeds(
    State(state): State<AppState>,
    Path(seller_id): Path<String>,
) -> ControlResult<Vec<FeedView>> {
    let mut world = lock(&state.world);
    world.settle();
    require_seller(&world, &seller_id)?;
    let now_ms = world.now().as_millisecond();
    let views = world
        .feeds
        .for_seller(&seller_id)
        .map(|s| FeedView {
            feed_submission_id: s.id.clone(),
            feed_type: s.feed_type.clone(),
            status: s.status_at(now_ms).as_str(),
            developer_id: s.developer_id.clone(),
            submitted_at: from_ms(s.submitted_ms).to_string(),
            started_at: from_ms(s.started_ms).to_string(),
            completed_at: from_ms(s.done_ms).to_string(),
            content_type: s.content_type.clone(),
            report: s
                .outcome
                .as_ref()
                .map(|o| o.report_xml(&s.seller_id, &s.id)),
            outcome: s.outcome.clone(),
        })
        .collect();
    Ok(Json(views))
}
