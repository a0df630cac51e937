//! Stock levels: the 3PL says how many units of each SKU it holds for a connection; sellerlink records the newest
//! quantity per SKU and the worker ([`sellerlink_sync::StockPusher`]) pushes it to Amazon.

use sellerlink_domain::ids::{ConnectionId, Sku};
use sellerlink_store::{StockChange, StockFilter, StockLevel};
use sellerlink_sync::StockPusher;

use crate::error::not_found;
use crate::{App, AppError};

/// The most units one SKU may be given (a typo guard; Amazon's own limit is higher).
pub const MAX_QUANTITY: u32 = 1_000_000;
/// The most SKUs one call may set.
pub const MAX_SKUS_PER_CALL: usize = 1_000;

fn refused(field: &'static str, en: String, ja: String) -> AppError {
    AppError::StockRefused { field, en, ja }
}

/// Checks one typed SKU ([`Sku::parse`]) and quantity; a refusal quotes the SKU as typed, so a warehouse system
/// sending many learns which one.
fn checked(sku: &str, quantity: u32) -> Result<(Sku, u32), AppError> {
    let sku = Sku::parse(sku).map_err(|error| {
        refused(
            "sku",
            format!(
                "{sku:?} {}; expected {}",
                error.problem_en(),
                error.field.expected_format()
            ),
            format!(
                "SKU {sku:?} {}。正しい形式: {}",
                error.problem_ja(),
                error.field.expected_format_ja()
            ),
        )
    })?;
    if quantity > MAX_QUANTITY {
        return Err(refused(
            "quantity",
            format!("{quantity} units of {sku} is more than {MAX_QUANTITY}; check the number"),
            format!(
                "{sku} の在庫数 {quantity} は上限 {MAX_QUANTITY} を超えています。数を確認してください。"
            ),
        ));
    }
    Ok((sku, quantity))
}

impl App {
    /// Records the quantities available of several SKUs of one connection, all or nothing; each changed quantity
    /// is pushed to Amazon by the worker. Setting the quantity already recorded changes nothing.
    pub async fn set_stock_levels(
        &self,
        connection_id: ConnectionId,
        levels: &[(String, u32)],
    ) -> Result<Vec<(StockLevel, StockChange)>, AppError> {
        if levels.is_empty() || levels.len() > MAX_SKUS_PER_CALL {
            return Err(refused(
                "levels",
                format!(
                    "give 1 to {MAX_SKUS_PER_CALL} SKUs at a time (got {})",
                    levels.len()
                ),
                format!(
                    "SKU は1回に1〜{MAX_SKUS_PER_CALL}件まで指定してください（{}件）。",
                    levels.len()
                ),
            ));
        }
        let mut checked_levels: Vec<(String, u32)> = Vec::with_capacity(levels.len());
        for (sku, quantity) in levels {
            let (sku, quantity) = checked(sku, *quantity)?;
            if checked_levels.iter().any(|(seen, _)| seen == sku.as_str()) {
                return Err(refused(
                    "sku",
                    format!("{sku} is given twice; give each SKU once"),
                    format!("SKU {sku} が2回指定されています。各 SKU は1回だけ指定してください。"),
                ));
            }
            checked_levels.push((sku.into(), quantity));
        }
        self.store
            .connection(connection_id)
            .await
            .map_err(|e| not_found(e, AppError::ConnectionNotFound(connection_id)))?;
        Ok(self
            .store
            .set_stock_levels(connection_id, &checked_levels, self.now())
            .await?)
    }

    /// Stock levels matching `filter`.
    pub async fn stock_levels(&self, filter: &StockFilter) -> Result<Vec<StockLevel>, AppError> {
        Ok(self.store.stock_levels(filter).await?)
    }

    /// The pusher that sends stock levels to Amazon (needs Amazon access configured).
    pub fn stock_pusher(&self) -> Result<StockPusher, AppError> {
        Ok(StockPusher::new(self.importer()?.clone()))
    }
}
