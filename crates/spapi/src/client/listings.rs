//! Listings Items 2021-08-01.

use reqwest::Method;
use sellerlink_domain::ids::{MarketplaceId, SellingPartnerId, Sku};

use super::SpApiClient;
use super::transport::ApiRequest;
use crate::encoding::{Query, path_segment};
use crate::error::SpApiError;
use crate::input::{InputError, InputField, InputProblem};
use crate::model::listings::{
    ListingsItemSubmissionResponse, PatchListingsItemBody, PatchOperation,
};
use crate::operation::Operation;
use crate::product_type::ProductType;
use crate::seller_auth::SellerAuth;

impl SpApiClient {
    /// `patchListingsItem`: applies `patches` to the listing `sku` of `seller_id` (the merchant
    /// token) in `marketplace_ids`. For stock use
    /// [`fulfillment_availability_patch`](crate::fulfillment_availability_patch). `ACCEPTED`
    /// means queued: Amazon applies it asynchronously.
    pub async fn patch_listings_item(
        &self,
        seller: &SellerAuth,
        seller_id: &SellingPartnerId,
        sku: &Sku,
        marketplace_ids: &[MarketplaceId],
        product_type: &ProductType,
        patches: &[PatchOperation],
    ) -> Result<ListingsItemSubmissionResponse, SpApiError> {
        let operation = Operation::PatchListingsItem;
        let refuse = |field, because| {
            SpApiError::invalid_request(
                operation,
                InputError::new(field, InputProblem::Required { because }),
            )
            .for_seller(&seller.selling_partner_id)
        };
        if marketplace_ids.is_empty() {
            return Err(refuse(InputField::MarketplaceIds, "by patchListingsItem"));
        }
        if patches.is_empty() {
            return Err(refuse(InputField::Patches, "by patchListingsItem"));
        }
        let mut query = Query::default();
        query.push_list(
            "marketplaceIds",
            marketplace_ids.iter().map(MarketplaceId::as_str),
        );
        let body = serde_json::to_vec(&PatchListingsItemBody::new(product_type, patches))
            .expect("patch operations always serialize");
        let api = ApiRequest {
            method: Method::PATCH,
            path: format!(
                "/listings/2021-08-01/items/{}/{}",
                path_segment(seller_id.as_str()),
                path_segment(sku.as_str())
            ),
            query: query.as_str().to_owned(),
            body: Some(body),
        };
        let response = self.execute(seller, operation, &api).await?;
        Self::decode(operation, seller, &response)
    }
}
