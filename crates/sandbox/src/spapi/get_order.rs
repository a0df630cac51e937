//! Orders 2026-01-01 `getOrder` (`GET /orders/2026-01-01/orders/{orderId}`): `{"order": {…}}`
//! with the items always included and the other parts per `includedData`. An order of another
//! seller, or one not placed yet at the sandbox clock, is 404 `NotFound`.

use super::errors::SpApiErrorAnswer;
use super::orders_json::{Included, order_json};
use super::pipeline::{Reply, SpCall};
use crate::ids::OrderId;
use crate::world::World;

#[derive(serde::Serialize)]
struct Body {
    order: serde_json::Value,
}

/// Answers `getOrder`.
pub fn run(world: &World, call: &SpCall<'_>) -> Result<Reply, SpApiErrorAnswer> {
    let text = call.path.order_id.as_deref().unwrap_or_default();
    let id =
        OrderId::parse("orderId", text).map_err(|e| SpApiErrorAnswer::invalid(e.to_string()))?;
    let included = Included::parse(&call.query.list("includedData"))?;
    let now_ms = call.now.as_millisecond();
    let (order, state) = world
        .orders
        .seller(&call.seller.seller_id)
        .and_then(|book| book.get(&id))
        .and_then(|order| order.state_at(now_ms).map(|state| (order, state)))
        .ok_or_else(|| {
            SpApiErrorAnswer::not_found(format!("No order {id} exists for this seller."))
        })?;
    let mut order = serde_json::to_value(order_json(order, state, now_ms, &included))
        .map_err(|_| SpApiErrorAnswer::internal())?;
    world.malformed.spapi(&call.seller.seller_id, &mut order);
    Ok(Reply::ok(&Body { order }))
}
