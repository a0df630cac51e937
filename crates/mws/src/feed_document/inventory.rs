//! `_POST_INVENTORY_AVAILABILITY_DATA_`: stock quantities per SKU.

use std::num::NonZeroU32;

use sellerlink_domain::ids::SellerId;
/// A seller SKU as the feed takes it: the one SKU rule of `sellerlink_domain` (1–40 visible characters).
pub use sellerlink_domain::ids::Sku;

use super::envelope::EnvelopeWriter;
use crate::model::feeds::FeedType;

/// The stock to report for one SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryUpdate {
    /// The SKU.
    pub sku: Sku,
    /// Units available to sell.
    pub quantity: u32,
    /// Handling time in days before shipping, if it should be set.
    pub fulfillment_latency: Option<NonZeroU32>,
}

impl InventoryUpdate {
    /// `quantity` units of `sku` available.
    pub fn new(sku: Sku, quantity: u32) -> Self {
        Self {
            sku,
            quantity,
            fulfillment_latency: None,
        }
    }

    /// Sets the handling time in days.
    pub fn fulfillment_latency(mut self, days: NonZeroU32) -> Self {
        self.fulfillment_latency = Some(days);
        self
    }
}

/// A `_POST_INVENTORY_AVAILABILITY_DATA_` document: one `Update` message per SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryFeed {
    merchant: SellerId,
    updates: Vec<InventoryUpdate>,
}

impl InventoryFeed {
    /// An empty document for the seller `merchant`.
    pub fn new(merchant: SellerId) -> Self {
        Self {
            merchant,
            updates: Vec::new(),
        }
    }

    /// Adds an update; messages are numbered 1, 2, … in the order added.
    pub fn push(&mut self, update: InventoryUpdate) -> &mut Self {
        self.updates.push(update);
        self
    }

    /// The updates added so far.
    pub fn updates(&self) -> &[InventoryUpdate] {
        &self.updates
    }

    /// The feed type to submit this document as.
    pub fn feed_type(&self) -> FeedType {
        FeedType::inventory_availability()
    }

    /// Renders the document.
    pub fn to_xml(&self) -> String {
        let mut writer = EnvelopeWriter::new(&self.merchant, "Inventory");
        for update in &self.updates {
            writer.open_message(Some("Update"));
            writer.open(2, "Inventory");
            writer.text(3, "SKU", update.sku.as_str());
            writer.text(3, "Quantity", &update.quantity.to_string());
            if let Some(days) = update.fulfillment_latency {
                writer.text(3, "FulfillmentLatency", &days.to_string());
            }
            writer.close(2, "Inventory");
            writer.close_message();
        }
        writer.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_updates_in_order() {
        let mut feed = InventoryFeed::new(SellerId::parse("A2SLNK0EXAMPL3").expect("valid"));
        feed.push(InventoryUpdate::new(
            Sku::parse("SL-TEA-0100").expect("valid"),
            12,
        ))
        .push(
            InventoryUpdate::new(Sku::parse("抹茶&ほうじ茶<set>").expect("valid"), 0)
                .fulfillment_latency(NonZeroU32::new(2).expect("non-zero")),
        );
        let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header>
    <DocumentVersion>1.01</DocumentVersion>
    <MerchantIdentifier>A2SLNK0EXAMPL3</MerchantIdentifier>
  </Header>
  <MessageType>Inventory</MessageType>
  <Message>
    <MessageID>1</MessageID>
    <OperationType>Update</OperationType>
    <Inventory>
      <SKU>SL-TEA-0100</SKU>
      <Quantity>12</Quantity>
    </Inventory>
  </Message>
  <Message>
    <MessageID>2</MessageID>
    <OperationType>Update</OperationType>
    <Inventory>
      <SKU>抹茶&amp;ほうじ茶&lt;set&gt;</SKU>
      <Quantity>0</Quantity>
      <FulfillmentLatency>2</FulfillmentLatency>
    </Inventory>
  </Message>
</AmazonEnvelope>
"#;
        assert_eq!(feed.to_xml(), expected);
        assert_eq!(
            feed.feed_type().as_str(),
            "_POST_INVENTORY_AVAILABILITY_DATA_"
        );
    }
}
