//! Sellers v1.

use super::SpApiClient;
use super::transport::ApiRequest;
use crate::error::SpApiError;
use crate::model::sellers::{GetMarketplaceParticipationsResponse, Participation};
use crate::operation::Operation;
use crate::seller_auth::SellerAuth;

impl SpApiClient {
    /// `getMarketplaceParticipations`: the marketplaces the seller can sell in. Succeeding proves
    /// the authorization works; a revoked one fails with
    /// [`ErrorKind::AuthorizationLost`](crate::ErrorKind::AuthorizationLost).
    pub async fn get_marketplace_participations(
        &self,
        seller: &SellerAuth,
    ) -> Result<Vec<Participation>, SpApiError> {
        let operation = Operation::GetMarketplaceParticipations;
        let request = ApiRequest::get(
            "/sellers/v1/marketplaceParticipations".to_owned(),
            String::new(),
        );
        let response = self.execute(seller, operation, &request).await?;
        let body: GetMarketplaceParticipationsResponse =
            Self::decode(operation, seller, &response)?;
        Ok(body.payload)
    }
}
