//! Sellers operations: the credential check `ListMarketplaceParticipations` and
//! `GetServiceStatus`.

use futures::{FutureExt as _, Stream, TryStreamExt as _};

use super::MwsClient;
use super::transport::Call;
use crate::error::MwsError;
use crate::model::sellers::{MarketplaceParticipations, MarketplaceParticipationsPage};
use crate::model::service_status::ServiceStatus;
use crate::pagination::paginate;
use crate::params::Params;
use crate::quota::{Operation, ServiceStatusSection};
use crate::seller_auth::SellerAuth;

impl MwsClient {
    /// `ListMarketplaceParticipations`: the cheapest call that proves the developer keys,
    /// Seller ID and MWS Auth Token work together.
    pub async fn list_marketplace_participations(
        &self,
        auth: &SellerAuth,
    ) -> Result<MarketplaceParticipationsPage, MwsError> {
        let call = Call::form(Operation::ListMarketplaceParticipations, Params::new());
        self.call_xml(auth, call, MarketplaceParticipationsPage::from_xml)
            .await
    }

    /// `ListMarketplaceParticipationsByNextToken`.
    pub async fn list_marketplace_participations_by_next_token(
        &self,
        auth: &SellerAuth,
        next_token: &str,
    ) -> Result<MarketplaceParticipationsPage, MwsError> {
        let mut params = Params::new();
        params.push("NextToken", next_token);
        let call = Call::form(Operation::ListMarketplaceParticipationsByNextToken, params);
        self.call_xml(auth, call, MarketplaceParticipationsPage::from_xml)
            .await
    }

    /// Every page of participations, following `NextToken`.
    pub fn marketplace_participations_stream(
        &self,
        auth: &SellerAuth,
    ) -> impl Stream<Item = Result<MarketplaceParticipationsPage, MwsError>> + Send + 'static {
        let first = {
            let (client, auth) = (self.clone(), auth.clone());
            async move { client.list_marketplace_participations(&auth).await }.boxed()
        };
        let (client, auth) = (self.clone(), auth.clone());
        paginate(
            first,
            move |token: String| {
                let (client, auth) = (client.clone(), auth.clone());
                async move {
                    client
                        .list_marketplace_participations_by_next_token(&auth, &token)
                        .await
                }
                .boxed()
            },
            |page: &MarketplaceParticipationsPage| page.next_token.as_deref(),
            Operation::ListMarketplaceParticipationsByNextToken,
        )
    }

    /// All participations, every page merged.
    pub async fn list_all_marketplace_participations(
        &self,
        auth: &SellerAuth,
    ) -> Result<MarketplaceParticipations, MwsError> {
        self.marketplace_participations_stream(auth)
            .try_fold(
                MarketplaceParticipations::default(),
                |mut all, page| async move {
                    all.extend(page);
                    Ok(all)
                },
            )
            .await
    }

    /// `GetServiceStatus` of a section.
    pub async fn get_service_status(
        &self,
        auth: &SellerAuth,
        section: ServiceStatusSection,
    ) -> Result<ServiceStatus, MwsError> {
        let call = Call::form(section.operation(), Params::new());
        self.call_xml(auth, call, ServiceStatus::from_xml).await
    }
}
