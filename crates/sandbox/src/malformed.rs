//! Orders served in a shape Amazon's clients must survive, set per order through the control API
//! (`PUT /_sandbox/sellers/{seller_id}/orders/{order_id}/malformed`, `DELETE` to serve it normally again):
//!
//! - `optional_fields_missing`: the SP-API order has no `salesChannel.marketplaceId` and its lines no
//!   `product.asin`, and a `searchOrders` page carrying it echoes no `lastUpdatedBefore` — all optional in the
//!   Orders 2026-01-01 model;
//! - `unreadable`: the order's `createdTime` (SP-API) or `PurchaseDate` (MWS) is not a date, which no client can
//!   read.

use std::collections::HashMap;

use serde_json::Value;

/// What is wrong with a malformed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Malformation {
    /// Optional fields left out.
    OptionalFieldsMissing,
    /// A required date that does not read.
    Unreadable,
}

/// The text an unreadable order carries instead of a date.
pub const NOT_A_DATE: &str = "not-a-date";

/// The malformed orders, by seller and order id.
#[derive(Debug, Clone, Default)]
pub struct MalformedOrders(HashMap<(String, String), Malformation>);

impl MalformedOrders {
    /// Serves the order malformed from now on.
    pub fn set(&mut self, seller_id: &str, order_id: &str, malformation: Malformation) {
        self.0
            .insert((seller_id.to_owned(), order_id.to_owned()), malformation);
    }

    /// Serves the order normally again; false if it was not malformed.
    pub fn remove(&mut self, seller_id: &str, order_id: &str) -> bool {
        self.0
            .remove(&(seller_id.to_owned(), order_id.to_owned()))
            .is_some()
    }

    /// How the order is malformed, if it is.
    pub fn get(&self, seller_id: &str, order_id: &str) -> Option<Malformation> {
        self.0
            .get(&(seller_id.to_owned(), order_id.to_owned()))
            .copied()
    }

    /// Applies the order's malformation, if any, to its SP-API JSON; returns it.
    pub fn spapi(&self, seller_id: &str, order: &mut Value) -> Option<Malformation> {
        let id = order.get("orderId").and_then(Value::as_str)?.to_owned();
        let malformation = self.get(seller_id, &id)?;
        match malformation {
            Malformation::OptionalFieldsMissing => {
                if let Some(channel) = order.get_mut("salesChannel").and_then(Value::as_object_mut)
                {
                    channel.remove("marketplaceId");
                }
                if let Some(items) = order.get_mut("orderItems").and_then(Value::as_array_mut) {
                    for item in items {
                        if let Some(product) =
                            item.get_mut("product").and_then(Value::as_object_mut)
                        {
                            product.remove("asin");
                        }
                    }
                }
            }
            Malformation::Unreadable => {
                order["createdTime"] = Value::from(NOT_A_DATE);
            }
        }
        Some(malformation)
    }
}
