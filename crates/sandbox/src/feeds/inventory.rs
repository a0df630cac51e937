//! `_POST_INVENTORY_AVAILABILITY_DATA_`: stock quantities per SKU.
//!
//! A message sets exactly one of Quantity (non-negative integer), Available (`true`/`false`;
//! false means zero) or Lookup=`FulfillmentNetwork`, plus optional FulfillmentLatency,
//! RestockDate and SwitchFulfillmentTo. The SKU must be one the seller has.

use crate::feeds::dom::Element;
use crate::feeds::envelope;
use crate::feeds::report::{FeedOutcome, MessageResult, tally};
use crate::stock::{StockBook, StockLevel};

/// The SKU is not in the seller's catalog.
pub const UNKNOWN_SKU: u32 = 13013;
/// A required element is missing or malformed.
pub const SCHEMA: u32 = 5001;

/// Processes an inventory feed for `seller_id` as of `at_ms`.
pub fn apply(
    doc: &Element,
    seller_id: &str,
    feed_id: &str,
    at_ms: i64,
    stock: &mut StockBook,
) -> FeedOutcome {
    let messages = match envelope(doc, "Inventory") {
        Ok(messages) => messages,
        Err(result) => return FeedOutcome::document_error(at_ms, result),
    };
    let stamp = crate::timefmt::from_ms(at_ms).to_string();
    let mut results = Vec::new();
    let mut effects = Vec::new();
    for (message_id, message) in &messages {
        match read_message(*message_id, message, seller_id, stock) {
            Ok((sku, mut level)) => {
                level.updated_at = stamp.clone();
                level.feed_submission_id = Some(feed_id.to_owned());
                effects.push(format!(
                    "{sku}: {}",
                    if level.fulfillment_network {
                        "FulfillmentNetwork".to_owned()
                    } else {
                        level.quantity.to_string()
                    }
                ));
                stock.set(seller_id, &sku, level);
            }
            Err(result) => results.push(result),
        }
    }
    tally(at_ms, messages.len() as u32, results, effects)
}

fn read_message(
    message_id: u64,
    message: &Element,
    seller_id: &str,
    stock: &StockBook,
) -> Result<(String, StockLevel), MessageResult> {
    if message_id == 0 {
        return Err(MessageResult::error(
            0,
            SCHEMA,
            "MessageID must be a positive integer.",
        ));
    }
    if let Some(op) = message.child_text("OperationType")
        && op != "Update"
        && op != "PartialUpdate"
    {
        return Err(MessageResult::error(
            message_id,
            SCHEMA,
            format!("OperationType {op} is not supported for Inventory; use Update."),
        ));
    }
    let inventory = message.child("Inventory").ok_or_else(|| {
        MessageResult::error(message_id, SCHEMA, "The message has no Inventory element.")
    })?;
    let sku = inventory
        .child_text("SKU")
        .ok_or_else(|| MessageResult::error(message_id, SCHEMA, "SKU is required."))?;
    let fail = |code: u32, text: String| MessageResult::error(message_id, code, text).sku(sku);
    if sku.chars().count() > 40 {
        return Err(fail(SCHEMA, "SKU must be 1 to 40 characters.".into()));
    }
    let current = stock.get(seller_id, sku).ok_or_else(|| {
        fail(
            UNKNOWN_SKU,
            format!("The SKU {sku} does not exist in the seller's catalog."),
        )
    })?;
    let mut level = current.clone();
    let quantity = inventory.child_text("Quantity");
    let available = inventory.child_text("Available");
    let lookup = inventory.child_text("Lookup");
    match (quantity, available, lookup) {
        (Some(q), None, None) => {
            level.quantity = q.parse().map_err(|_| {
                fail(
                    SCHEMA,
                    format!("Quantity '{q}' must be a non-negative integer."),
                )
            })?;
            level.fulfillment_network = false;
        }
        (None, Some(a), None) => {
            level.quantity = match a {
                "true" | "1" => level.quantity.max(1),
                "false" | "0" => 0,
                other => {
                    return Err(fail(
                        SCHEMA,
                        format!("Available '{other}' must be true or false."),
                    ));
                }
            };
            level.fulfillment_network = false;
        }
        (None, None, Some("FulfillmentNetwork")) => level.fulfillment_network = true,
        (None, None, Some(other)) => {
            return Err(fail(
                SCHEMA,
                format!("Lookup '{other}' must be FulfillmentNetwork."),
            ));
        }
        (None, None, None) => {
            return Err(fail(
                SCHEMA,
                "One of Quantity, Available or Lookup is required.".into(),
            ));
        }
        _ => {
            return Err(fail(
                SCHEMA,
                "Only one of Quantity, Available or Lookup may be given.".into(),
            ));
        }
    }
    if let Some(latency) = inventory.child_text("FulfillmentLatency") {
        match latency.parse::<u32>() {
            Ok(days) if days > 0 => level.fulfillment_latency = Some(days),
            _ => {
                return Err(fail(
                    SCHEMA,
                    format!("FulfillmentLatency '{latency}' must be a positive integer."),
                ));
            }
        }
    }
    if let Some(date) = inventory.child_text("RestockDate") {
        level.restock_date = Some(date.to_owned());
    }
    if let Some(switch) = inventory.child_text("SwitchFulfillmentTo") {
        if switch != "MFN" && switch != "AFN" {
            return Err(fail(
                SCHEMA,
                format!("SwitchFulfillmentTo '{switch}' must be MFN or AFN."),
            ));
        }
        level.switch_fulfillment_to = Some(switch.to_owned());
    }
    Ok((sku.to_owned(), level))
}
