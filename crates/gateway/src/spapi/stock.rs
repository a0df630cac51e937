//! Stock levels through SP-API: `patchListingsItem` with a `fulfillment_availability` patch, SKU by SKU, answered
//! at once (`ACCEPTED`, or `INVALID` with Amazon's issues).

use sellerlink_spapi::{ProductType, Sku, SubmissionStatus, fulfillment_availability_patch};

use super::SpApiGateway;
use super::classify::classify;
use crate::gateway::{GatewayError, GatewayErrorKind, SkuVerdict, StockSubmission};

/// The product type a stock-only patch is sent with (Amazon takes the generic type for `fulfillment_availability`).
const PRODUCT_TYPE: &str = "PRODUCT";

impl SpApiGateway {
    pub(super) async fn patch_stock(
        &self,
        levels: &[(String, u32)],
    ) -> Result<StockSubmission, GatewayError> {
        let product_type = ProductType::parse(PRODUCT_TYPE).map_err(|e| {
            GatewayError::new(
                GatewayErrorKind::Invalid,
                "Listings.patchListingsItem",
                e.to_string(),
            )
        })?;
        let marketplaces = [self.home()];
        let mut verdicts: Vec<SkuVerdict> = Vec::with_capacity(levels.len());
        for (sku_text, quantity) in levels {
            let sku = match Sku::parse(sku_text) {
                Ok(sku) => sku,
                Err(error) => {
                    verdicts.push((sku_text.clone(), Err(error.to_string())));
                    continue;
                }
            };
            let patch = fulfillment_availability_patch(*quantity, None);
            let answer = self
                .client
                .patch_listings_item(
                    &self.seller,
                    &self.seller.selling_partner_id,
                    &sku,
                    &marketplaces,
                    &product_type,
                    &[patch],
                )
                .await;
            let verdict = match answer {
                Ok(response) if response.status == SubmissionStatus::Accepted => Ok(()),
                Ok(response) => Err(response
                    .issues
                    .iter()
                    .map(|issue| format!("{}: {}", issue.code, issue.message))
                    .collect::<Vec<_>>()
                    .join("; ")),
                Err(error) => {
                    let classified = classify(&error, self.throttle);
                    if classified.kind != GatewayErrorKind::Invalid {
                        // Throttling, access and transient failures concern the whole call: retried as one.
                        return Err(classified);
                    }
                    Err(classified.message)
                }
            };
            verdicts.push((sku_text.clone(), verdict));
        }
        Ok(StockSubmission::Answered(verdicts))
    }
}
