//! Builders for the XML feed documents sellerlink submits: shipment confirmations
//! (`_POST_ORDER_FULFILLMENT_DATA_`) and stock levels (`_POST_INVENTORY_AVAILABILITY_DATA_`),
//! wrapped in Amazon's `AmazonEnvelope` (`docs/amazon/MWS.md#feed-envelope`).

mod envelope;
mod inventory;
mod order_fulfillment;

pub use inventory::{InventoryFeed, InventoryUpdate, Sku};
pub use order_fulfillment::{Carrier, FulfillmentItem, OrderFulfillment, OrderFulfillmentFeed};

/// A value that cannot go into a feed document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("feed field {field}: {problem}")]
pub struct FeedDocumentError {
    /// The feed element the value was meant for.
    pub field: &'static str,
    /// What is wrong with it.
    pub problem: String,
}

impl FeedDocumentError {
    pub(crate) fn new(field: &'static str, problem: impl Into<String>) -> Self {
        Self {
            field,
            problem: problem.into(),
        }
    }
}

/// Checks free text for a feed element: trimmed, not empty, at most `max` characters, no
/// control characters.
pub(crate) fn feed_text(
    field: &'static str,
    value: &str,
    max: usize,
) -> Result<String, FeedDocumentError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FeedDocumentError::new(field, "is empty"));
    }
    let length = value.chars().count();
    if length > max {
        return Err(FeedDocumentError::new(
            field,
            format!("has {length} characters; at most {max} are allowed"),
        ));
    }
    if let Some(position) = value.chars().position(char::is_control) {
        return Err(FeedDocumentError::new(
            field,
            format!("contains a control character at position {}", position + 1),
        ));
    }
    Ok(value.to_owned())
}
