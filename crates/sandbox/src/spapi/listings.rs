//! Listings Items 2021-08-01 `patchListingsItem`
//! (`PATCH /listings/2021-08-01/items/{sellerId}/{sku}?marketplaceIds=…[&mode=VALIDATION_PREVIEW]`),
//! for stock: `/attributes/fulfillment_availability` with `fulfillment_channel_code` `DEFAULT`
//! sets the seller-fulfilled quantity in the same stock book the MWS inventory feed writes.
//!
//! `sellerId` must be the token's seller; `marketplaceIds` is required (the seller's);
//! the body needs `productType` and a non-empty `patches` array of `add|replace|merge|delete`
//! operations on top-level `/attributes/…` paths. An unknown SKU, or a quantity for an Amazon
//! channel (`AMAZON_JP`, …), gives `INVALID` with an issue. Otherwise `ACCEPTED`; the sandbox
//! applies the stock change at once (Amazon applies it asynchronously, usually within minutes).
//! Patches of other attributes are accepted and have no effect. `VALIDATION_PREVIEW` answers
//! `VALID`/`INVALID` and changes nothing.

use serde_json::{Map, Value};

use super::errors::SpApiErrorAnswer;
use super::pipeline::{Reply, SpCall};
use crate::stock::StockLevel;
use crate::world::World;

const AVAILABILITY_PATH: &str = "/attributes/fulfillment_availability";

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Issue {
    code: &'static str,
    message: String,
    severity: &'static str,
    attribute_names: Vec<&'static str>,
    categories: Vec<&'static str>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    sku: String,
    status: &'static str,
    submission_id: String,
    issues: Vec<Issue>,
}

fn issue(code: &'static str, message: String) -> Issue {
    Issue {
        code,
        message,
        severity: "ERROR",
        attribute_names: vec!["fulfillment_availability"],
        categories: vec!["INVALID_ATTRIBUTE"],
    }
}

/// What a DEFAULT-channel patch asks for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct StockChange {
    quantity: Option<u32>,
    lead_time_days: Option<u32>,
    restock_date: Option<String>,
}

fn shape_error(details: impl Into<String>) -> SpApiErrorAnswer {
    SpApiErrorAnswer::invalid_message("Invalid input").with_details(details)
}

/// Reads the patches: `Ok(Err(issue))` for an accepted-shape request that is INVALID.
fn read_patches(
    root: &Map<String, Value>,
) -> Result<Result<Option<StockChange>, Issue>, SpApiErrorAnswer> {
    match root.get("productType") {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        _ => {
            return Err(shape_error(
                "productType is required and must be a non-empty string.",
            ));
        }
    }
    let patches = match root.get("patches") {
        Some(Value::Array(p)) if !p.is_empty() => p,
        _ => {
            return Err(shape_error(
                "patches is required and must be a non-empty array.",
            ));
        }
    };
    let mut change: Option<StockChange> = None;
    for patch in patches {
        let Value::Object(patch) = patch else {
            return Err(shape_error(
                "Each patch must be an object with op, path and value.",
            ));
        };
        let op = patch.get("op").and_then(Value::as_str).unwrap_or("");
        if !matches!(op, "add" | "replace" | "merge" | "delete") {
            return Err(shape_error(format!(
                "op {op:?} is not one of add, replace, merge, delete."
            )));
        }
        let path = patch.get("path").and_then(Value::as_str).unwrap_or("");
        let attribute = path.strip_prefix("/attributes/").unwrap_or("");
        if attribute.is_empty() || attribute.contains('/') {
            return Err(shape_error(format!(
                "path {path:?} must name one top-level attribute, like {AVAILABILITY_PATH}."
            )));
        }
        if path != AVAILABILITY_PATH {
            continue;
        }
        if op == "delete" {
            change = Some(StockChange {
                quantity: Some(0),
                ..StockChange::default()
            });
            continue;
        }
        let Some(Value::Array(values)) = patch.get("value") else {
            return Err(shape_error(
                "value of fulfillment_availability must be an array.",
            ));
        };
        for value in values {
            let Value::Object(value) = value else {
                return Err(shape_error(
                    "Each fulfillment_availability value must be an object.",
                ));
            };
            let channel = value
                .get("fulfillment_channel_code")
                .and_then(Value::as_str)
                .unwrap_or("");
            if channel.is_empty() {
                return Err(shape_error(
                    "fulfillment_channel_code is required and must not be empty.",
                ));
            }
            if channel != "DEFAULT" {
                return Ok(Err(issue(
                    "4000003",
                    format!(
                        "The quantity of fulfillment channel {channel} is managed by Amazon and cannot be set by the seller; use DEFAULT for seller-fulfilled stock."
                    ),
                )));
            }
            let mut next = change.clone().unwrap_or_default();
            match value.get("quantity") {
                Some(Value::Number(n)) => match n.as_u64().and_then(|q| u32::try_from(q).ok()) {
                    Some(q) => next.quantity = Some(q),
                    None => {
                        return Ok(Err(issue(
                            "90000900",
                            format!("quantity {n} must be a non-negative integer."),
                        )));
                    }
                },
                None | Some(Value::Null) if op == "merge" => {}
                _ => {
                    return Ok(Err(issue(
                        "90000900",
                        "quantity is required for add and replace and must be a non-negative integer."
                            .to_owned(),
                    )));
                }
            }
            if let Some(days) = value.get("lead_time_to_ship_max_days") {
                match days.as_u64().and_then(|d| u32::try_from(d).ok()) {
                    Some(d) => next.lead_time_days = Some(d),
                    None => {
                        return Ok(Err(issue(
                            "90000900",
                            "lead_time_to_ship_max_days must be a non-negative integer.".to_owned(),
                        )));
                    }
                }
            }
            if let Some(date) = value.get("restock_date").and_then(Value::as_str) {
                next.restock_date = Some(date.to_owned());
            }
            change = Some(next);
        }
    }
    Ok(Ok(change))
}

/// Answers `patchListingsItem`.
pub fn run(world: &mut World, call: &SpCall<'_>) -> Result<Reply, SpApiErrorAnswer> {
    let seller_id = call.path.seller_id.as_deref().unwrap_or_default();
    if seller_id != call.seller.seller_id {
        return Err(SpApiErrorAnswer::unauthorized(""));
    }
    let sku = call.path.sku.clone().unwrap_or_default();
    let marketplaces = call.query.list("marketplaceIds");
    if marketplaces.is_empty() {
        return Err(SpApiErrorAnswer::invalid("marketplaceIds is required."));
    }
    if let Some(foreign) = marketplaces
        .iter()
        .find(|m| !call.seller.marketplace_ids.contains(m))
    {
        return Err(SpApiErrorAnswer::invalid(format!(
            "The seller does not participate in marketplace {foreign}."
        )));
    }
    let preview = match call.query.get("mode") {
        None => false,
        Some("VALIDATION_PREVIEW") => true,
        Some(other) => {
            return Err(SpApiErrorAnswer::invalid(format!(
                "mode {other} is not VALIDATION_PREVIEW."
            )));
        }
    };
    let root = match serde_json::from_slice::<Value>(call.body) {
        Ok(Value::Object(root)) => root,
        _ => return Err(shape_error("The request body is not a valid JSON object.")),
    };
    let read = read_patches(&root)?;
    let submission_id = uuid::Uuid::new_v4().simple().to_string();
    let current = world.stock.get(&call.seller.seller_id, &sku).cloned();
    let outcome = match (read, current) {
        (Err(issue), _) => Err(issue),
        (Ok(_), None) => Err(Issue {
            attribute_names: Vec::new(),
            ..issue(
                "4000001",
                format!("The SKU {sku} is not in the seller's catalog."),
            )
        }),
        (Ok(change), Some(level)) => Ok((change, level)),
    };
    let (status, issues) = match outcome {
        Err(issue) => ("INVALID", vec![issue]),
        Ok((change, level)) => {
            if !preview && let Some(change) = change {
                let updated = StockLevel {
                    quantity: change.quantity.unwrap_or(level.quantity),
                    fulfillment_network: false,
                    fulfillment_latency: change.lead_time_days.or(level.fulfillment_latency),
                    restock_date: change.restock_date.or(level.restock_date),
                    switch_fulfillment_to: level.switch_fulfillment_to,
                    updated_at: call.now.to_string(),
                    feed_submission_id: None,
                };
                world.stock.set(&call.seller.seller_id, &sku, updated);
            }
            (if preview { "VALID" } else { "ACCEPTED" }, Vec::new())
        }
    };
    Ok(Reply::ok(&Body {
        sku,
        status,
        submission_id,
        issues,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn patches(
        value: serde_json::Value,
    ) -> Result<Result<Option<StockChange>, Issue>, SpApiErrorAnswer> {
        read_patches(value.as_object().unwrap())
    }

    #[test]
    fn reads_the_stock_patch() {
        let merge = patches(serde_json::json!({"productType": "PRODUCT", "patches": [
            {"op": "merge", "path": "/attributes/fulfillment_availability",
             "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": 7, "lead_time_to_ship_max_days": 2}]}]}));
        assert_eq!(
            merge.unwrap().unwrap(),
            Some(StockChange {
                quantity: Some(7),
                lead_time_days: Some(2),
                restock_date: None
            })
        );
        let amazon = patches(serde_json::json!({"productType": "PRODUCT", "patches": [
            {"op": "replace", "path": "/attributes/fulfillment_availability",
             "value": [{"fulfillment_channel_code": "AMAZON_JP", "quantity": 7}]}]}));
        assert_eq!(amazon.unwrap().unwrap_err().code, "4000003");
        let other = patches(serde_json::json!({"productType": "PRODUCT", "patches": [
            {"op": "replace", "path": "/attributes/item_name", "value": [{"value": "x"}]}]}));
        assert_eq!(other.unwrap().unwrap(), None);
        assert!(patches(serde_json::json!({"patches": []})).is_err());
        assert!(patches(serde_json::json!({"productType": "P", "patches": [{"op": "move", "path": "/attributes/x"}]})).is_err());
        let no_quantity = patches(serde_json::json!({"productType": "PRODUCT", "patches": [
            {"op": "replace", "path": "/attributes/fulfillment_availability",
             "value": [{"fulfillment_channel_code": "DEFAULT"}]}]}));
        assert!(no_quantity.unwrap().is_err());
    }
}
