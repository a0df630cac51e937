//! Per-seller stock levels by SKU, as inventory feeds set them.

use std::collections::{BTreeMap, HashMap};

/// The stock of one SKU.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StockLevel {
    /// Sellable quantity (MFN).
    pub quantity: u32,
    /// `Lookup=FulfillmentNetwork` was set (Amazon's network decides the quantity).
    pub fulfillment_network: bool,
    /// Handling time in days, if set.
    pub fulfillment_latency: Option<u32>,
    /// RestockDate as sent, if any.
    pub restock_date: Option<String>,
    /// SwitchFulfillmentTo as sent, if any.
    pub switch_fulfillment_to: Option<String>,
    /// When it last changed (RFC 3339).
    pub updated_at: String,
    /// The feed that last changed it, if a feed did.
    pub feed_submission_id: Option<String>,
}

/// Every seller's stock.
#[derive(Debug, Default)]
pub struct StockBook {
    sellers: HashMap<String, BTreeMap<String, StockLevel>>,
}

impl StockBook {
    /// A seller's stock by SKU (sorted).
    pub fn seller(&self, seller_id: &str) -> Option<&BTreeMap<String, StockLevel>> {
        self.sellers.get(seller_id)
    }

    /// Sets one SKU's stock.
    pub fn set(&mut self, seller_id: &str, sku: &str, level: StockLevel) {
        self.sellers
            .entry(seller_id.to_owned())
            .or_default()
            .insert(sku.to_owned(), level);
    }

    /// One SKU's stock.
    pub fn get(&self, seller_id: &str, sku: &str) -> Option<&StockLevel> {
        self.sellers.get(seller_id).and_then(|m| m.get(sku))
    }
}
